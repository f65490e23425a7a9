export * from './committees.module';
export * from './committee.service';
export * from './election.service';
export { decide } from './election-rules';
export * from './fund.service';
export * from './chair-training.service';
export * from './http/committee-records.controller';
export * from './dto/committee.dto';
export * from './dto/election.dto';
