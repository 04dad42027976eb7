/*
 * Word lists that let the blameless review tell a person from a thing. A capitalised word
 * in front of "failed to" is a person's name only if it is not a product, a component, a
 * calendar word, or a common word that merely starts a sentence. The lists cannot be
 * complete; they cover the vocabulary of incident write-ups, and the review is advice, not
 * a gate, so a miss costs little while a false accusation of blame costs trust.
 */

/** Subject pronouns that refer to people. "we" is left out: it speaks of the organisation. */
export const PERSON_PRONOUNS: ReadonlySet<string> = new Set(['he', 'she', 'they', 'i', 'you', 'someone', 'somebody']);

/** Pronouns that may follow "because"/"due to" as the cause; "they" there is usually a system. */
export const CAUSE_PRONOUNS: ReadonlySet<string> = new Set(['he', 'she', 'someone', 'somebody']);

/** Job roles: "the on-call engineer forgot" names a person by role. */
export const ROLE_NOUNS: ReadonlySet<string> = new Set([
  'engineer', 'engineers', 'developer', 'developers', 'dev', 'devs', 'on-call', 'oncall', 'on-caller', 'sre', 'sres',
  'dba', 'admin', 'administrator', 'sysadmin', 'intern', 'reviewer', 'author', 'committer', 'deployer', 'responder',
  'contractor', 'employee', 'person', 'guy', 'teammate', 'hire', 'junior', 'manager', 'lead', 'owner', 'analyst',
  'scientist', 'programmer', 'tester', 'technician', 'staffer',
]);

/** Words that introduce a noun phrase: "the Deploy", "our Scheduler" are not names. */
export const DETERMINERS: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'our', 'their', 'its', 'his', 'her', 'my', 'your', 'one',
  'each', 'every', 'no', 'any', 'some', 'another', 'which', 'whose',
]);

/** Words that negate a nearby "blame": "nobody is to blame", "we do not blame". */
export const NEGATIONS: ReadonlySet<string> = new Set(['no', 'not', 'nobody', 'never', 'without', "don't", 'don’t', "doesn't", 'doesn’t', "didn't", 'didn’t', "won't", 'won’t', 'avoid', 'none', 'nor', "isn't", 'isn’t', "aren't", 'aren’t']);

/** Products and tools, also the first word of compound product names ("GitHub Actions"). */
export const PRODUCT_NAMES: ReadonlySet<string> = new Set([
  'kubernetes', 'k8s', 'redis', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'cassandra', 'kafka',
  'zookeeper', 'etcd', 'consul', 'vault', 'nomad', 'terraform', 'ansible', 'puppet', 'chef', 'helm', 'argo', 'argocd',
  'flux', 'jenkins', 'github', 'gitlab', 'bitbucket', 'docker', 'podman', 'nginx', 'envoy', 'istio', 'linkerd',
  'traefik', 'haproxy', 'prometheus', 'grafana', 'alertmanager', 'loki', 'tempo', 'jaeger', 'datadog', 'sentry',
  'splunk', 'elastic', 'elasticsearch', 'opensearch', 'kibana', 'logstash', 'fluentd', 'fluentbit', 'pagerduty',
  'opsgenie', 'slack', 'jira', 'confluence', 'cloudflare', 'akamai', 'fastly', 'aws', 'gcp', 'azure', 'linux',
  'windows', 'ubuntu', 'debian', 'java', 'python', 'node', 'nodejs', 'golang', 'rust', 'ruby', 'rails', 'django',
  'spring', 'chrome', 'safari', 'firefox', 'android', 'spark', 'airflow', 'flink', 'hadoop', 'hive', 'presto', 'trino',
  'snowflake', 'bigquery', 'redshift', 'dbt', 'celery', 'rabbitmq', 'sidekiq', 'lambda', 'stripe', 'twilio', 'okta',
  'hindsight', 'sagemaker', 'feast', 'tecton', 'mlflow', 'kubeflow', 'ray', 'triton', 'pytorch', 'tensorflow',
  'memcached', 'varnish', 'ceph', 'minio', 'karpenter', 'cilium', 'calico', 'coredns', 'kubelet', 'keda', 'vercel',
  'heroku', 'netlify', 'openai', 'bedrock', 'dynamo', 'dynamodb', 'aurora', 'cloudwatch', 'route53', 'certbot',
  'letsencrypt', 'git', 'npm', 'yarn', 'maven', 'gradle', 'bazel', 'webpack', 'vite', 'nest', 'nestjs', 'react',
  'typeorm', 'bullmq', 'graphql', 'apollo', 'cron', 'systemd', 'openssl', 'google', 'amazon', 'microsoft', 'cloud',
]);

const CALENDAR = [
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'today', 'yesterday',
  'tomorrow', 'tonight', 'morning', 'afternoon', 'evening', 'night', 'weekend', 'christmas', 'easter',
];

const FUNCTION_WORDS = [
  'it', 'this', 'that', 'these', 'those', 'which', 'what', 'who', 'whoever', 'nothing', 'everything', 'something',
  'anything', 'nobody', 'everyone', 'everybody', 'anyone', 'anybody', 'we', 'us', 'our', 'there', 'here', 'one', 'all',
  'both', 'each', 'either', 'neither', 'none', 'another', 'other', 'others', 'such', 'the', 'a', 'an', 'and', 'but',
  'or', 'so', 'then', 'later', 'finally', 'afterwards', 'meanwhile', 'unfortunately', 'fortunately', 'also', 'first',
  'next', 'eventually', 'initially', 'subsequently', 'suddenly', 'apparently', 'clearly', 'obviously', 'again',
  'however', 'still', 'yet', 'when', 'while', 'because', 'since', 'after', 'before', 'once', 'if', 'as', 'why', 'how',
  'where', 'most', 'many', 'several', 'some', 'few', 'every', 'no', 'any', 'its', 'their', 'team', 'teams',
];

const COMPONENTS = [
  'deploy', 'deploys', 'deployment', 'deployments', 'rollout', 'rollouts', 'rollback', 'rollbacks', 'release',
  'releases', 'build', 'builds', 'job', 'jobs', 'backup', 'backups', 'restore', 'migration', 'migrations',
  'replication', 'failover', 'autoscaler', 'autoscaling', 'scheduler', 'controller', 'operator', 'service',
  'services', 'server', 'servers', 'cache', 'caches', 'queue', 'queues', 'consumer', 'consumers', 'producer',
  'producers', 'worker', 'workers', 'pipeline', 'pipelines', 'model', 'models', 'training', 'inference', 'ingestion',
  'validation', 'monitoring', 'alerting', 'alert', 'alerts', 'alarm', 'alarms', 'probe', 'probes', 'check', 'checks',
  'healthcheck', 'test', 'tests', 'canary', 'retry', 'retries', 'request', 'requests', 'traffic', 'load', 'balancer',
  'proxy', 'gateway', 'router', 'ingress', 'egress', 'firewall', 'dns', 'cert', 'certs', 'certificate',
  'certificates', 'renewal', 'automation', 'script', 'scripts', 'tool', 'tooling', 'system', 'systems', 'cluster',
  'clusters', 'pod', 'pods', 'container', 'containers', 'host', 'hosts', 'instance', 'instances', 'database',
  'databases', 'db', 'primary', 'replica', 'replicas', 'leader', 'follower', 'disk', 'disks', 'memory', 'cpu',
  'network', 'connection', 'connections', 'client', 'clients', 'customer', 'customers', 'user', 'users',
  'application', 'app', 'apps', 'frontend', 'backend', 'api', 'endpoint', 'endpoints', 'feature', 'flag', 'flags',
  'config', 'configuration', 'setting', 'settings', 'code', 'patch', 'fix', 'change', 'changes', 'commit', 'merge',
  'review', 'process', 'procedure', 'runbook', 'page', 'pager', 'paging', 'escalation', 'management', 'leadership',
  'vendor', 'provider', 'upstream', 'downstream', 'dependency', 'library', 'sdk', 'driver', 'agent', 'daemon',
  'sidecar', 'mesh', 'storage', 'bucket', 'index', 'indexer', 'crawler', 'batch', 'stream', 'streaming', 'topic',
  'partition', 'shard', 'shards', 'region', 'zone', 'datacenter', 'kernel', 'browser', 'compiler', 'linter', 'chart',
  'manifest', 'image', 'version', 'upgrade', 'downgrade', 'rotation', 'token', 'secret', 'key', 'lock', 'transaction',
  'query', 'queries', 'schema', 'table', 'function', 'handler', 'callback', 'timer', 'timeout', 'watchdog',
  'heartbeat', 'sync', 'syncer', 'replicator', 'exporter', 'collector', 'scraper', 'dashboard', 'report',
  'notification', 'email', 'message', 'messages', 'webhook', 'integration', 'plugin', 'extension', 'module', 'package',
  'component', 'subsystem', 'layer', 'step', 'stage', 'phase', 'task', 'tasks', 'action', 'workflow', 'caching',
  'sharding', 'hashing', 'parsing', 'logging', 'tracing', 'metrics', 'logs', 'traces', 'health', 'nodes', 'vm', 'vms',
  'machine', 'machines', 'device', 'devices', 'firmware', 'hardware', 'software', 'platform', 'infrastructure',
  'infra', 'store', 'feature-store', 'warehouse', 'lake', 'cdn', 'edge', 'origin', 'site', 'website', 'portal',
  'checkout', 'payments', 'billing', 'search', 'auth', 'login', 'signup', 'ci', 'cd', 'pr', 'mr', 'actions',
  'functions', 'run', 'engine', 'staging', 'prod', 'production', 'dev', 'qa', 'uat', 'sandbox', 'preprod', 'canary',
  'ops', 'devops', 'secops', 'support', 'sales', 'marketing', 'legal', 'finance', 'hr', 'product', 'design', 'data',
  'engineering', 'security', 'compliance', 'procurement', 'it', 'helpdesk',
];

/** Capitalised words that are not people (compared in lower case). */
export const NON_PERSON_WORDS: ReadonlySet<string> = new Set([...PRODUCT_NAMES, ...CALENDAR, ...FUNCTION_WORDS, ...COMPONENTS]);

// Endings of abstract or process nouns ("Replication", "Indexing", "Deployment"); given
// names rarely end so. "-ing" only for longer words, to spare names like Ming or Irving.
const NOUN_ENDING = /(?:tion|sion|ment|ness|ity|ance|ence|ism|ship)$|^.{4,}ing$/;

const NAME_SHAPE = /^\p{Lu}(?:\p{Ll}+|['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}\p{Ll}+)?$/u;

/**
 * A word that names a product rather than a person: a known product, or spelled like one
 * (inner capitals or digits: "GitHub", "AWS", "S3"). The word after it is then part of the
 * product's name ("GitHub Actions", "Google Cloud"), not a person.
 */
export function looksLikeProductName(word: string): boolean {
  return PRODUCT_NAMES.has(word.toLowerCase()) || /^\p{L}.*\p{Lu}/u.test(word) || /\d/u.test(word);
}

/**
 * Whether a word looks like a person's given or family name: capitalised, not all caps,
 * not in the non-person lists, not shaped like an abstract noun, and never written in lower
 * case elsewhere in the same text (a word that also appears as "deploy" is a noun that
 * merely started a sentence). Deliberately case-sensitive: this runs outside the
 * case-insensitive rule patterns.
 */
export function looksLikePersonName(word: string, lowerCaseWordsInText: ReadonlySet<string>): boolean {
  if (!NAME_SHAPE.test(word)) return false;
  const lower = word.toLowerCase();
  return !NON_PERSON_WORDS.has(lower) && !NOUN_ENDING.test(lower) && !lowerCaseWordsInText.has(lower);
}
