export * from './auth.module';
export * from './auth.service';
export * from './auth.decorators';
export * from './policy.service';
export * from './dto/login.dto';
export * from './identities/identities.module';
export * from './identities/wechat-identity.service';
export * from './identities/dto/identity.dto';
