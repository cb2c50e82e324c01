import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseQuery, queryCount } from '../decision/decision-request.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { Dashboard } from '../openapi/schemas/dashboard.schemas.js';
import { DashboardService } from './dashboard.service.js';

const dashboardQuery = z.strictObject({ days: queryCount('a number of days, 1 to 90', 1).pipe(z.number().max(90, 'at most 90 days')).optional() });

/** The operations console's dashboard: counts, decisions per day and the anchoring lag, in one call. */
@ApiTags('Console')
@Controller('v1/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiDoc({
    summary: "The operations console's dashboard figures",
    description: 'Counts of merchants, factories, products, lots, trace events and identities; decisions per UTC day by outcome; the ledger state. Pass rates by category and origin come from /v1/statistics/{dimension}.',
    query: { schema: dashboardQuery, describe: { days: 'How many days of decisions, today included (14 when absent).' } },
    response: { status: 200, description: 'The figures.', schema: Dashboard },
    problems: [400],
  })
  async get(@Query() query: unknown) {
    const { days } = parseQuery(dashboardQuery, query);
    return this.dashboard.dashboard(days ?? 14);
  }
}
