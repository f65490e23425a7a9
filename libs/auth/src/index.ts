export * from './auth.module';
export * from './auth.service';
export * from './auth.decorators';
export * from './policy.service';
export * from './dto/login.dto';
export * from './account-setup.decorator';
export * from './dto/account.dto';
