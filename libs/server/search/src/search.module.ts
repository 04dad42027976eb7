import { Module } from '@nestjs/common';
import { SearchRepository } from './search.repository';
import { SearchResolver } from './search.resolver';
import { SearchService } from './search.service';

/** Global search (the web app's palette): one statement over every searchable kind. */
@Module({ providers: [SearchRepository, SearchService, SearchResolver], exports: [SearchService] })
export class SearchModule {}

export const SEARCH_RESOLVERS = [SearchResolver];
