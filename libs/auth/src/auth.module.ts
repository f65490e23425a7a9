import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, PasswordService } from '@jiaxiao/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthController } from './http/auth.controller';
import { LoginThrottleService } from './login-throttle.service';

import { PolicyService } from './policy.service';
import { PrincipalService } from './principal.service';
import { SessionRepository } from './session.repository';

@Module({})
export class AuthModule {
  /** `http: true` adds the /auth routes and the global guard (the gateway authenticates sockets itself). */
  static forRoot(options: AuthOptions & { http: boolean }): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        DirectoryModule,
        JwtModule.registerAsync({
          inject: [AppConfig],
          // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
          // PEM public key on every verify and only then falls back to HMAC (≈1 ms of CPU per request).
          useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')), signOptions: { algorithm: 'HS256' } }),
        }),
      ],
      controllers: options.http ? [AuthController] : [],
      providers: [
        { provide: AUTH_OPTIONS, useValue: { audience: options.audience } },
        AuthService,
        PasswordService,
        LoginThrottleService,
        PrincipalService,
        PolicyService,
        SessionRepository,
        ...(options.http ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
      ],
      exports: [AuthService, PasswordService, PolicyService],
    };
  }
}
