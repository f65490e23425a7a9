import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, PasswordService, QUEUES } from '@jiaxiao/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { AccountService } from './account.service';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ConsentRepository } from './consent/consent.repository';
import { ConsentReactor } from './consent/consent.reactor';
import { ConsentService } from './consent/consent.service';
import { AccountController } from './http/account.controller';
import { AuthController } from './http/auth.controller';
import { LoginThrottleService } from './login-throttle.service';

import { PolicyService } from './policy.service';
import { PrincipalService } from './principal.service';
import { SessionEvents } from './session-events';
import { SessionRepository } from './session.repository';
import { SmsCodeService } from './sms-code.service';

@Module({})
export class AuthModule {
  /** `http: true` adds the /auth routes and the global guard (the gateway authenticates sockets itself). */
  static forRoot(options: AuthOptions & { http: boolean }): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        DirectoryModule,
        BullModule.registerQueue({ name: QUEUES.delivery }, { name: QUEUES.notifications }),
        JwtModule.registerAsync({
          inject: [AppConfig],
          // JwtService signs the access tokens (AuthService checks them with hs256Verifier). A
          // KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
          // key on every call and only then falls back to HMAC (≈1 ms of CPU each).
          useFactory: (config: AppConfig) => ({
            secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')),
            signOptions: { algorithm: 'HS256' },
          }),
        }),
      ],
      controllers: options.http ? [AuthController, AccountController] : [],
      providers: [
        { provide: AUTH_OPTIONS, useValue: { audience: options.audience } },
        AuthService,
        PasswordService,
        LoginThrottleService,
        PrincipalService,
        PolicyService,
        SessionRepository,
        SessionEvents,
        SmsCodeService,
        AccountService,
        ConsentRepository,
        ConsentService,
        ConsentReactor,
        ...(options.http ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
      ],
      exports: [AuthService, PasswordService, PolicyService],
    };
  }
}
