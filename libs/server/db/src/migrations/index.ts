import { Identity1732300000000 } from './1732300000000-identity.migration';
import { Domain1732400000000 } from './1732400000000-domain.migration';
import { Chase1732700000000 } from './1732700000000-chase.migration';
import { InsightFacts1732800000000 } from './1732800000000-insight-facts.migration';
import { ExtensionRequests1796052829809 } from './1796052829809-extension-requests.migration';
import { Trackers1796052846447 } from './1796052846447-trackers.migration';
import { Runbooks1796055564467 } from './1796055564467-runbooks.migration';
import { Sessions1796058587933 } from './1796058587933-sessions.migration';
import { ChannelDeleteKeepsDeliveries1796058848317 } from './1796058848317-channel-delete-keeps-deliveries.migration';
import { PeopleLifecycle1796062657717 } from './1796062657717-people-lifecycle.migration';
import { SingleSignOn1796062768498 } from './1796062768498-single-sign-on.migration';
import { IdentityChangeNotifications1796062824339 } from './1796062824339-identity-change-notifications.migration';
import { InsightCells1796062888895 } from './1796062888895-insight-cells.migration';
import { InsightCellRanks1796063899993 } from './1796063899993-insight-cell-ranks.migration';
import { InsightFactTeams1796064932506 } from './1796064932506-insight-fact-teams.migration';
import { InsightTeamRows1796066480372 } from './1796066480372-insight-team-rows.migration';
import { InsightCellsDeltas1796066928643 } from './1796066928643-insight-cells-deltas.migration';
import { ChaseLedgerKeys1796067000000 } from './1796067000000-chase-ledger-keys.migration';
import { ChaseCoveringIndex1796063658133 } from './1796063658133-chase-covering-index.migration';
import { DeliveriesFillfactor1796065587165 } from './1796065587165-deliveries-fillfactor.migration';
import { TrackerReconcile1796102000000 } from './1796102000000-tracker-reconcile.migration';
import { IdentityHardening1796100000000 } from './1796100000000-identity-hardening.migration';
import { SlackWebhookSecrets1796101000000 } from './1796101000000-slack-webhook-secrets.migration';
import { SsoTabNonce1796101000001 } from './1796101000001-sso-tab-nonce.migration';
import { PostmortemComments1796103000000 } from './1796103000000-postmortem-comments.migration';
import { GlobalSearch1796103001000 } from './1796103001000-global-search.migration';

/** In order. Listed explicitly (no globs) so the same list serves source, build and tests. */
export const MIGRATIONS = [Identity1732300000000, Domain1732400000000, Chase1732700000000, InsightFacts1732800000000, ExtensionRequests1796052829809, Trackers1796052846447, Runbooks1796055564467, Sessions1796058587933, ChannelDeleteKeepsDeliveries1796058848317, PeopleLifecycle1796062657717, SingleSignOn1796062768498, IdentityChangeNotifications1796062824339, InsightCells1796062888895, ChaseCoveringIndex1796063658133, InsightCellRanks1796063899993, InsightFactTeams1796064932506, DeliveriesFillfactor1796065587165, InsightTeamRows1796066480372, InsightCellsDeltas1796066928643, ChaseLedgerKeys1796067000000, IdentityHardening1796100000000, SlackWebhookSecrets1796101000000, SsoTabNonce1796101000001, TrackerReconcile1796102000000, PostmortemComments1796103000000, GlobalSearch1796103001000];
