import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { COMMITTEE_ROLES, CommitteeRole } from '@jiaxiao/db';

export class OpenElectionDto {
  @ApiProperty({ example: '初一(1)班家委会委员选举' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiProperty({ enum: COMMITTEE_ROLES, description: 'the role the winners are appointed to' }) @IsIn(COMMITTEE_ROLES) role: CommitteeRole;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(50) seats: number;
  @ApiProperty() @IsISO8601() nominationStartsAt: string;
  @ApiProperty() @IsISO8601() nominationEndsAt: string;
  @ApiProperty() @IsISO8601() votingStartsAt: string;
  @ApiProperty() @IsISO8601() votingEndsAt: string;
}

export class NominateDto {
  @ApiPropertyOptional({ description: 'the guardian nominated; yourself when absent (a self-nomination is accepted at once)' })
  @IsOptional()
  @IsUUID()
  nomineeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) statement?: string;
}

export class BallotDto {
  @ApiProperty({ type: [String], description: 'user ids of the chosen candidates: 1 to `seats`, no repeats' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  choices: string[];

  @ApiPropertyOptional({ description: 'the household (your child) voting, when you have more than one child in scope' })
  @IsOptional()
  @IsUUID()
  studentId?: string;
}

export class NominationDto {
  @ApiProperty() id: string;
  @ApiProperty() electionId: string;
  @ApiProperty() nomineeId: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'declined'] }) status: string;
}

export class CandidateDto {
  @ApiProperty() nominationId: string;
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'declined'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) statement: string | null;
}

export class VoteCountDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() votes: number;
}

export class ElectionResultDto {
  @ApiProperty() ballots: number;
  @ApiProperty({ type: [VoteCountDto] }) counts: VoteCountDto[];
  @ApiProperty({ type: [String] }) winners: string[];
  @ApiPropertyOptional({ description: 'the run-off among tied candidates, if the last seat tied' }) runoffElectionId?: string;
  @ApiPropertyOptional({ description: 'a run-off that tied again was settled by lot with this published seed' }) lotSeed?: string;
}

export class ElectionDto {
  @ApiProperty() id: string;
  @ApiProperty() committeeId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: COMMITTEE_ROLES }) role: string;
  @ApiProperty() seats: number;
  @ApiProperty() nominationStartsAt: string;
  @ApiProperty() nominationEndsAt: string;
  @ApiProperty() votingStartsAt: string;
  @ApiProperty() votingEndsAt: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) runoffOf: string | null;
  @ApiProperty({ type: [CandidateDto] }) candidates: CandidateDto[];
  @ApiPropertyOptional({ description: 'whether the caller’s household has voted (parents only)' }) householdVoted?: boolean;
  @ApiProperty({ nullable: true, type: ElectionResultDto }) result: ElectionResultDto | null;
}

export class ElectionListDto {
  @ApiProperty({ type: [ElectionDto] }) items: ElectionDto[];
}

export class VoteReceiptDto {
  @ApiProperty({ description: 'true: the ballot is in; it carries no link to you' }) voted: boolean;
}
