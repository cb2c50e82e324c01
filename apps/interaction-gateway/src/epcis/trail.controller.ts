import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { TRAIL_OPERATIONS } from '../openapi/epcis-operations.js';
import { TraceGateway, type TrailMessage } from './trace.gateway.js';

/** A trail as REST shows it: each event with the values it is filed under, and the event itself. */
function trailJson(trail: TrailMessage) {
  return {
    gtin: trail.gtin,
    ...(trail.lot === '' ? {} : { lot: trail.lot }),
    ...(trail.serial === '' ? {} : { serial: trail.serial }),
    truncated: trail.truncated,
    events: trail.events.map((event) => ({
      event_id: event.eventId,
      version: event.version,
      event_hash: event.eventHash,
      event_type: event.eventType,
      event_time: event.eventTime,
      record_time: event.recordTime,
      biz_step: event.bizStep || null,
      disposition: event.disposition || null,
      read_point: event.readPoint || null,
      biz_location: event.bizLocation || null,
      record_key: event.recordKey,
      event: JSON.parse(event.eventJson) as unknown,
    })),
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Lot and item trails: every trace event concerning them, in the order things happened. */
@ApiTags('Trails')
@Controller('v1')
export class TrailController {
  constructor(private readonly trace: TraceGateway) {}

  @Get('lots/trail')
  @ApiDoc(TRAIL_OPERATIONS.lotTrail)
  async lotTrail(@Query('gtin') gtin: unknown, @Query('lot') lot: unknown) {
    return trailJson(await this.trace.lotTrail(text(gtin), text(lot)));
  }

  @Get('items/trail')
  @ApiDoc(TRAIL_OPERATIONS.itemTrail)
  async itemTrail(@Query('gtin') gtin: unknown, @Query('serial') serial: unknown) {
    return trailJson(await this.trace.itemTrail(text(gtin), text(serial)));
  }
}
