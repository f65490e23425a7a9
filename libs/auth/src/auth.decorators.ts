import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, Principal } from '@jiaxiao/common';
import { clientIp } from '@jiaxiao/platform';
import type { Action } from './policy.service';

export interface AuthorizeRule {
  action: Action;
  /** a directory resource, or one a higher context registered with PolicyService.register */
  resource: string;
  /** the route parameter holding the object's id */
  param: string;
}

export const AUTHORIZE = 'jiaxiao:authorize';

/**
 * Declares the object-level check of an id-taking route: the policy service runs it before
 * the handler, e.g. `@Authorize('read', 'class')` checks `:id` against the caller's scope.
 */
export const Authorize = (action: Action, resource: string, param = 'id') =>
  SetMetadata(AUTHORIZE, { action, resource, param } satisfies AuthorizeRule);

/** `authorized`: the object the @Authorize rule loaded, when its resolver hands it over. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; authorized?: unknown };

/** The authenticated caller of this request. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new DomainError('UNAUTHENTICATED');
  return principal;
});

/**
 * The object the route's @Authorize rule loaded and allowed (for resources whose resolver hands it
 * over, e.g. a lecture): the handler uses it instead of reading it again.
 */
export const AuthorizedObject = createParamDecorator((_: unknown, context: ExecutionContext): unknown => {
  const object = context.switchToHttp().getRequest<AuthenticatedRequest>().authorized;
  if (object === undefined)
    throw new Error('no authorized object on this route: it needs an @Authorize rule whose resolver hands one over');
  return object;
});

/** The caller's IP and user agent, for sessions and the audit log. */
export const Client = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const agent = request.headers['user-agent'];
  return { ip: clientIp(request), userAgent: typeof agent === 'string' ? agent : undefined };
});
