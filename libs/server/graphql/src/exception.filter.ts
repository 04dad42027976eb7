import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Nest logs every exception a resolver or guard throws at ERROR ("ExceptionsHandler"), a wrong
 * password or a missing sign-in included, without who or from where. GraphQL errors are left
 * to the error formatter instead, which logs client errors at info/warn and failures at error,
 * with the user, operation and client address. HTTP routes keep Nest's own handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    super.catch(exception, host);
  }
}
