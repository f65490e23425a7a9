export * from './notifications.module';
export * from './notifications.service';
export * from './notifications.repository';
export * from './realtime.publisher';
export * from './quiet-hours';
export * from './channels/channel.provider';
export * from './dto/notification.dto';
export * from './consent-withdrawn.notifier';
