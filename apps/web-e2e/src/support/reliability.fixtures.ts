import type { Scenario } from '@hindsight/server-testing';

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const today = (() => {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
})();
/** 00:00 UTC on this week's Monday: the reports' weeks start on Mondays. */
export const thisMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;

/** A tier-1 API service of `teamId` with a 99.9 % availability SLO. */
export async function serviceWithSlo(world: Scenario, teamId: string, name: string, revenuePerMinute: number): Promise<string> {
  const serviceId = await world.service({ name, teamId, revenuePerMinute });
  await world.ok(`mutation($s: ID!) { createSlo(input: { serviceId: $s, dimension: AVAILABILITY, objective: 99.9 }) { id } }`, { s: serviceId });
  return serviceId;
}

/** A resolved availability incident: detected after 5 minutes, mitigated halfway, resolved after `minutes`. */
async function resolvedIncident(world: Scenario, title: string, serviceId: string, startedMs: number, minutes: number, severity: string): Promise<string> {
  const at = (offsetMinutes: number) => new Date(startedMs + offsetMinutes * MINUTE).toISOString();
  const { id } = await world.incident({
    title, severity, serviceIds: [serviceId], impactedDimensions: ['AVAILABILITY'], status: 'RESOLVED',
    startedAt: at(0), detectedAt: at(5), mitigatedAt: at(minutes / 2), resolvedAt: at(minutes),
  });
  return id;
}

/**
 * The history the reliability pages are read against: twelve quiet weeks (weeks 2 to 13 before
 * this one), a short SEV3 on the Wednesday of each, on the service and for the minutes
 * `quiet(week)` says; then, last week, `burst.count` long SEV2 outages six hours apart from
 * Tuesday on `burst.serviceId`, the first three after a configuration change.
 */
export async function quietWeeksThenBurst(
  world: Scenario,
  quiet: (week: number) => { serviceId: string; minutes: number },
  burst: { serviceId: string; count: number; title: (i: number) => string; minutes: (i: number) => number },
): Promise<void> {
  for (let week = 2; week <= 13; week++) {
    const { serviceId, minutes } = quiet(week);
    await resolvedIncident(world, `Quiet week ${week} blip`, serviceId, thisMonday - week * 7 * DAY + 2 * DAY + 10 * HOUR, minutes, 'SEV3');
  }
  for (let i = 0; i < burst.count; i++) {
    const id = await resolvedIncident(world, burst.title(i), burst.serviceId, thisMonday - 6 * DAY + i * 6 * HOUR, burst.minutes(i), 'SEV2');
    if (i < 3) await world.ok(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CONFIG_CHANGE, description: "Pool size lowered" }) { id } }`, { id });
  }
}
