import { Injectable, OnModuleInit } from '@nestjs/common';
import { OpenItems } from '@hindsight/server-identity';
import { ActionItemsService } from './action-items.service';

/** Plugs action items into identity: a leaver's open items are unassigned through ActionItemsService. */
@Injectable()
export class OpenItemsAdapter implements OnModuleInit {
  constructor(
    private readonly items: ActionItemsService,
    private readonly openItems: OpenItems,
  ) {}

  onModuleInit(): void {
    this.openItems.use(this.items);
  }
}
