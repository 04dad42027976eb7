import { registerEnumType } from '@nestjs/graphql';
import { CONTRACT_ENUMS, ContractEnumName } from '@hindsight/domain';

type EnumObject<N extends ContractEnumName> = { [K in (typeof CONTRACT_ENUMS)[N][number]]: K };

function asEnum<N extends ContractEnumName>(name: N): EnumObject<N> {
  const values = CONTRACT_ENUMS[name] as readonly string[];
  const object = Object.fromEntries(values.map((v) => [v, v])) as EnumObject<N>;
  registerEnumType(object, { name });
  return object;
}

/**
 * Every enum of the contract, registered once with GraphQL from the domain's value lists, so
 * the schema and the rules cannot disagree. Use as `@Field(() => GqlEnum.Severity)`.
 */
export const GqlEnum = {
  Role: asEnum('Role'),
  Severity: asEnum('Severity'),
  IncidentStatus: asEnum('IncidentStatus'),
  SloDimension: asEnum('SloDimension'),
  ServiceKind: asEnum('ServiceKind'),
  TimelineEventKind: asEnum('TimelineEventKind'),
  EventSource: asEnum('EventSource'),
  HypothesisStatus: asEnum('HypothesisStatus'),
  FactorCategory: asEnum('FactorCategory'),
  SafeguardKind: asEnum('SafeguardKind'),
  ActionKind: asEnum('ActionKind'),
  Priority: asEnum('Priority'),
  ActionStatus: asEnum('ActionStatus'),
  PostmortemStatus: asEnum('PostmortemStatus'),
  ReviewVerdict: asEnum('ReviewVerdict'),
  LadderStep: asEnum('LadderStep'),
  ChannelKind: asEnum('ChannelKind'),
  TrendInterval: asEnum('TrendInterval'),
  NudgeActionKind: asEnum('NudgeActionKind'),
  ExtensionStatus: asEnum('ExtensionStatus'),
  RunbookVerdict: asEnum('RunbookVerdict'),
  ApiTokenScope: asEnum('ApiTokenScope'),
  ChangeRole: asEnum('ChangeRole'),
  IncidentKind: asEnum('IncidentKind'),
} as const;
