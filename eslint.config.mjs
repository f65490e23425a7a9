import tseslint from 'typescript-eslint';

// Context-owned tables: a context's tables are named only by its own lib (`libs` below); the others
// read through what it publishes — a read port of views, a statement port of SQL fragments, or its
// services. `apps/` names no table at all. Each table is listed by its export from '@jiaxiao/db';
// its SQL name (the export in snake_case) is checked in SQL text too.
const TABLES = [
  {
    owner: 'the directory',
    libs: ['directory'],
    names: [
      'districts',
      'schools',
      'schoolYears',
      'classes',
      'students',
      'guardianships',
      'schoolRollovers',
      'roleAssignments',
      'classJoinLinks',
      'joinRequests',
      'rosterImports',
    ],
    instead:
      "read the directory's port (classPlaces, schoolPlaces, guardianChildren, staffRoles, … from @jiaxiao/directory) or call its services",
  },
  {
    // The directory creates and activates accounts (appointment, roster import) and sits below auth,
    // which reads its roles; platform's audit list, below every context, joins the actor's name.
    owner: 'auth',
    libs: ['auth', 'directory', 'platform'],
    names: ['users'],
    instead: "read auth's port (people from @jiaxiao/auth)",
  },
  {
    owner: 'auth',
    libs: ['auth'],
    names: ['authSessions', 'refreshTokens', 'consents', 'userIdentities'],
    instead: "call auth's services",
  },
  {
    owner: 'files',
    libs: ['files'],
    names: ['files'],
    instead: "read files' port (uploads from @jiaxiao/files) or call its services",
  },
  {
    owner: 'notifications',
    libs: ['notifications'],
    names: ['notifications', 'notificationDeliveries', 'schoolSmsBudgets', 'smsUsage', 'workingHours'],
    instead: "compose notifications' statement port (inboxInsert, workingHoursJson from @jiaxiao/notifications) or call its services",
  },
  {
    owner: 'messaging',
    libs: ['messaging'],
    names: [
      'conversations',
      'conversationMembers',
      'messages',
      'messageClientIds',
      'readMarks',
      'noticeAcks',
      'schoolNotices',
      'schoolNoticeFamilies',
      'schoolNoticeRecipients',
    ],
    instead: "call messaging's services",
  },
  {
    owner: 'courses',
    libs: ['courses'],
    names: [
      'courseRequirements',
      'coursePlans',
      'experts',
      'lectures',
      'lectureMaterials',
      'registrations',
      'attendance',
      'hourLedger',
      'householdCredits',
      'householdProgress',
      'classMemberships',
      'classHourTotals',
      'reportExports',
    ],
    instead: "call courses' services",
  },
  {
    owner: 'committees',
    libs: ['committees'],
    names: [
      'committees',
      'committeeMembers',
      'elections',
      'nominations',
      'electionVoters',
      'ballots',
      'sealedBallots',
      'committeeMinutes',
      'oversightRecords',
      'fundEntries',
      'chairTrainingRequirements',
    ],
    instead: "call committees' services",
  },
  {
    owner: 'campaigns',
    libs: ['campaigns'],
    names: ['campaigns', 'campaignSubmissions', 'campaignLikes', 'articles'],
    instead: "call campaigns' services",
  },
  {
    owner: 'model-schools',
    libs: ['model-schools'],
    names: [
      'modelSchoolYears',
      'modelSchoolCriteria',
      'supportSites',
      'satisfactionRespondents',
      'satisfactionResponses',
      'sealedSurveyAnswers',
      'modelSchoolApplications',
      'modelSchoolExperts',
      'modelSchoolReviews',
      'modelSchoolDesignations',
      'modelSchoolMetricFacts',
      'supportSiteStaff',
      'counsellingRequests',
    ],
    instead: "call model-schools' services",
  },
  { owner: 'the mailbox', libs: ['mailbox'], names: ['mailboxItems'], instead: "call the mailbox's services" },
  { owner: 'channels', libs: ['channels'], names: ['devOutbox'], instead: "call channels' services" },
  {
    // Shared infrastructure: every context writes events and audit entries through platform's services.
    owner: 'platform',
    libs: ['platform'],
    names: ['outboxEvents', 'auditLog'],
    instead: "call platform's services (OutboxService, AuditService)",
  },
];
const LIBS = [...new Set(TABLES.flatMap((t) => t.libs))];
const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const foreign = (lib) => TABLES.filter((t) => !t.libs.includes(lib));

const ownedTables = (owners) => [
  'error',
  {
    paths: [
      ...owners.map((o) => ({ name: '@jiaxiao/db', importNames: o.names, message: `A table of ${o.owner}: ${o.instead}.` })),
      { name: '@jiaxiao/db', importNames: ['schema'], message: 'Import the names themselves, which the table rule checks.' },
    ],
    patterns: [
      {
        group: ['**/db/src/schema', '**/db/src/schema/*', '@jiaxiao/db/*'],
        message: "Import from '@jiaxiao/db', whose exports the table rule checks.",
      },
    ],
  },
];

const BASE_SYNTAX = [
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: 'Read settings through AppConfig (libs/common/src/config); only the config loader reads process.env.',
  },
  {
    selector: "Property[key.name='maxDecimalPlaces']",
    message:
      'IsNumber({maxDecimalPlaces}) throws on exponent-form numbers (a 500 for bad input): use IsDecimalNumber from @jiaxiao/common.',
  },
];
// A table named in SQL text (a template's or a string's) after from, join, into, update or table.
const sqlNames = (owners) =>
  owners.flatMap((o) => {
    const pattern = `/\\b(from|join|into|update|table)\\s+(${o.names.map(snake).join('|')})\\b/`;
    return [`TemplateElement[value.raw=${pattern}]`, `Literal[value=${pattern}]`].map((selector) => ({
      selector,
      message: `A table of ${o.owner} named in SQL: ${o.instead}, interpolating its view or fragment.`,
    }));
  });
const syntax = (owners) => ['error', ...BASE_SYNTAX, ...sqlNames(owners)];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'libs/db/migrations/**',
      'web/**',
      'artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': ['error', ...BASE_SYNTAX],
    },
  },
  {
    // Rooms of a size one can hold: a production file past 400 lines is split along its sections
    // (one repository or service per aggregate), not trimmed of blank lines or comments.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/db/migrations/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // Context-owned tables (above) in the apps and the contexts. Not here: libs/db (the schema and
    // migrations), seeds/, test/, test-web/ and bench/, which build and inspect data across contexts.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/db/**'],
    rules: { 'no-restricted-imports': ownedTables(TABLES), 'no-restricted-syntax': syntax(TABLES) },
  },
  ...LIBS.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: { 'no-restricted-imports': ownedTables(foreign(lib)), 'no-restricted-syntax': syntax(foreign(lib)) },
  })),
  {
    // The config loader, the test harness and scripts outside the apps may read the environment.
    files: ['libs/common/src/config/**', 'test/**', 'test-web/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
