import { ApiProperty } from '@nestjs/swagger';
import { ACTOR_TYPES, ActorType, AuditEvent } from '../audit-event.entity';
import { PageOf } from '../../common/pagination';

export class AuditEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ enum: ACTOR_TYPES }) actorType: ActorType;
  @ApiProperty({ nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorOrganisationId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorLabel: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) entity: string | null;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: Object }) detail: Record<string, unknown> | null;

  static of(e: AuditEvent): AuditEventResponse {
    return { ...e, at: e.at.toISOString() };
  }
}

export class AuditEventPage extends PageOf(AuditEventResponse) {}
