export * from './mailbox.module';
export * from './mailbox.service';
export * from './dto/mailbox.dto';
