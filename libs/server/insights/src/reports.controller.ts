import { BadRequestException, Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOneOf, Severity, SEVERITIES, TREND_INTERVALS, TrendInterval } from '@hindsight/domain';
import { AppError } from '@hindsight/server-common';
import { RestCost } from '@hindsight/server-graphql';
import { AuthService } from '@hindsight/server-identity';
import { InsightsService } from './insights.service';
import type { ReliabilityFilterInput, ReliabilityReportType } from './insights.types';
import { RELIABILITY_REPORT_POINTS } from './insights.resolver';
import { reliabilityCsv } from './reliability.csv';

type Params = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

function bad(field: string, reason: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, field });
}

function date(params: Params, name: string): Date {
  const raw = one(params[name]);
  if (!raw) throw bad(name, `${name} is required (ISO 8601, e.g. 2024-01-01T00:00:00Z)`);
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw bad(name, `"${raw}" is not a valid date-time (ISO 8601, e.g. 2024-01-01T00:00:00Z)`);
  return d;
}

/** Query string → the GraphQL filter: severities may repeat or be comma-separated; names are case-insensitive. */
export function filterFromQuery(params: Params): ReliabilityFilterInput {
  const interval = one(params['interval'])?.toUpperCase();
  if (interval !== undefined && interval !== '' && !isOneOf(TREND_INTERVALS, interval)) throw bad('interval', `must be one of ${TREND_INTERVALS.join(', ')}`);
  const raw = params['severities'] ?? params['severity'];
  const severities = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  const unknown = severities.find((s) => !isOneOf(SEVERITIES, s));
  if (unknown) throw bad('severities', `"${unknown}" is not one of ${SEVERITIES.join(', ')}`);
  return {
    from: date(params, 'from'),
    to: date(params, 'to'),
    interval: interval ? (interval as TrendInterval) : null,
    teamId: one(params['teamId']) ?? null,
    serviceId: one(params['serviceId']) ?? null,
    severities: severities.length ? (severities as Severity[]) : null,
    segment: one(params['segment']) ?? null,
  };
}

/**
 * `GET /api/reports/reliability.csv|json?from=&to=[&interval=WEEK|MONTH][&teamId=][&serviceId=][&severities=SEV1,SEV2][&segment=]`:
 * the reliability report for people who take the numbers into their own tools. Bearer token
 * as for GraphQL (401 without); bad parameters get 400 with `field` and a message saying how
 * to fix them. Outside GraphQL, so it checks the token itself.
 */
// Each export is the reliabilityReport field's work, at its price: no way around the budget.
@RestCost(RELIABILITY_REPORT_POINTS)
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly auth: AuthService,
    private readonly insights: InsightsService,
  ) {}

  private async report(request: FastifyRequest, params: Params): Promise<ReliabilityReportType> {
    await this.auth.restCaller(request.headers.authorization);
    const filter = filterFromQuery(params);
    try {
      return await this.insights.reliabilityReport(filter);
    } catch (e) {
      if (e instanceof AppError && e.code === 'BAD_USER_INPUT') {
        const field = String(e.extensions['field'] ?? '').replace(/^filter\./, '');
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: e.message.replace(/^filter\./, ''), field });
      }
      throw e;
    }
  }

  @Get('reliability.csv')
  @Header('cache-control', 'private, no-store')
  async csv(@Req() request: FastifyRequest, @Query() params: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const report = await this.report(request, params);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="reliability-${report.from.toISOString().slice(0, 10)}-${report.to.toISOString().slice(0, 10)}.csv"`);
    return reliabilityCsv(report);
  }

  @Get('reliability.json')
  @Header('cache-control', 'private, no-store')
  @Header('content-type', 'application/json; charset=utf-8')
  async json(@Req() request: FastifyRequest, @Query() params: Params): Promise<ReliabilityReportType> {
    return this.report(request, params);
  }
}
