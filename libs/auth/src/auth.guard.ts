import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC } from '@jiaxiao/common';
import { ACCOUNT_SETUP } from './account-setup.decorator';
import { AUTHORIZE, AuthenticatedRequest, AuthorizeRule } from './auth.decorators';
import { AuthService } from './auth.service';
import { PolicyService } from './policy.service';

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked @Public();
 * admin-api also requires a staff role; a route with @Authorize() has its object checked. Until a
 * one-time password is changed, or a guardian has accepted the privacy notice, only @AccountSetup()
 * routes answer (every other route could show children's data, so all of them wait).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly policy: PolicyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED');
    const principal = await this.auth.authenticate(match[1]);
    if (!principal) throw new DomainError('TOKEN_INVALID');
    this.auth.assertAudience(principal);
    request.principal = principal;
    if (
      (principal.passwordChangeRequired || principal.consentRequired) &&
      !this.reflector.getAllAndOverride<boolean>(ACCOUNT_SETUP, targets)
    ) {
      throw new DomainError(principal.passwordChangeRequired ? 'PASSWORD_CHANGE_REQUIRED' : 'CONSENT_REQUIRED');
    }

    const rule = this.reflector.get<AuthorizeRule | undefined>(AUTHORIZE, context.getHandler());
    if (rule) {
      const id = (request.params as Record<string, string | undefined>)[rule.param];
      request.authorized = await this.policy.assert(principal, rule.action, rule.resource, id ?? '');
    }
    return true;
  }
}
