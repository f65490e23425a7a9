import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC } from '@jiaxiao/common';
import { ACCOUNT_SETUP } from './account-setup.decorator';
import { AUTHORIZE, AuthenticatedRequest, AuthorizeRule } from './auth.decorators';
import { AuthService } from './auth.service';
import { PolicyService } from './policy.service';

/** What a route's decorators ask of the guard. */
interface RouteRules {
  isPublic: boolean;
  accountSetup: boolean;
  authorize: AuthorizeRule | undefined;
}

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked @Public();
 * admin-api also requires a staff role; a route with @Authorize() has its object checked. Until a
 * one-time password is changed, or a guardian has accepted the privacy notice, only @AccountSetup()
 * routes answer (every other route could show children's data, so all of them wait).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** By handler, then controller class (a handler inherited by two controllers may be public in one only). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly policy: PolicyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rules = this.rulesOf(context);
    if (rules.isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED');
    const principal = await this.auth.authenticate(match[1]);
    if (!principal) throw new DomainError('TOKEN_INVALID');
    this.auth.assertAudience(principal);
    request.principal = principal;
    if ((principal.passwordChangeRequired || principal.consentRequired) && !rules.accountSetup) {
      throw new DomainError(principal.passwordChangeRequired ? 'PASSWORD_CHANGE_REQUIRED' : 'CONSENT_REQUIRED');
    }

    const rule = rules.authorize;
    if (rule) {
      const id = (request.params as Record<string, string | undefined>)[rule.param];
      request.authorized = await this.policy.assert(principal, rule.action, rule.resource, id ?? '');
    }
    return true;
  }

  /** The route's decorators, read once per handler and class: they do not change once the app runs. */
  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.routes.get(handler);
    if (!byController) this.routes.set(handler, (byController = new WeakMap()));
    let rules = byController.get(controller);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)),
        accountSetup: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(ACCOUNT_SETUP, targets)),
        authorize: this.reflector.get<AuthorizeRule | undefined>(AUTHORIZE, handler),
      };
      byController.set(controller, rules);
    }
    return rules;
  }
}
