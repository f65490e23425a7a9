import { PRIVACY_NOTICE } from '@jiaxiao/common';
import { ConversationService } from '@jiaxiao/messaging';
import { DEMO_PASSWORD } from '../../seeds/demo.seed';
import type { TestContext } from './harness';

/**
 * Families of a test's own. A test that changes a guardian's state (signs out, withdraws consent,
 * loses a child, runs into a limit, …) builds a fresh family here instead of using the demo families,
 * so no test sees another's change and tests pass in any order, alone or together.
 *
 * A family is one SQL statement (the account with the demo password's hash, its children in a class,
 * the guardianships and the privacy-notice consent), then a real sign-in through parent-api's
 * `POST /auth/login` (scrypt, a session, the audit log: what the demo accounts go through). Class groups follow the roster through a worker job; a test that needs
 * the family in its class's group asks for `classGroup` and the messaging service syncs the group
 * at once, as that job would.
 */

export interface FamilyOptions {
  /** the children's class; unset: the demo 潍坊七中 初一(1)班 (class teacher 13900000002) */
  classId?: string;
  /** how many children (default 1), each named with a number, as names are unique in a class */
  children?: number;
  /** the guardian's name (default 测试家长<n>) */
  name?: string;
  /** join the class group now (default false: no system message is posted in the demo group) */
  classGroup?: boolean;
  /** sign in on parent-api (default true); false: the test signs in itself, or not at all */
  signIn?: boolean;
}

export interface Family {
  userId: string;
  phone: string;
  name: string;
  classId: string;
  /** the children, by name (测试学生<n>A, B, …) */
  children: { id: string; name: string }[];
  /** the first child's id and name */
  studentId: string;
  studentName: string;
  /** the sign-in's tokens ('' when signIn is false) */
  token: string;
  refreshToken: string;
}

/** The demo class the demo parents 13900000003 and 13900000004 belong to. */
const DEMO_CLASS = `(select c.id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班')`;

let serial = 0;

/** A phone number of the 134 block (no demo account, seed or other fixture uses it), unique in this file's database. */
function freshPhone(): string {
  serial += 1;
  return `134${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(5, '0')}`;
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A guardian of their own, with `children` children in a class, signed in. */
export async function freshFamily(ctx: TestContext, options: FamilyOptions = {}): Promise<Family> {
  const phone = freshPhone();
  const name = options.name ?? `测试家长${serial}`;
  const childNames = Array.from({ length: options.children ?? 1 }, (_, i) => `测试学生${serial}${String.fromCharCode(65 + i)}`);
  const classId = options.classId ? `${literal(options.classId)}::uuid` : DEMO_CLASS;
  const [row] = await ctx.query<{ user_id: string; class_id: string; children: { id: string; name: string }[] }>(`
    with u as (insert into users (phone, name, password_hash, status)
               select ${literal(phone)}, ${literal(name)}, password_hash, 'active' from users where phone = '13900000003' returning id),
         s as (insert into students (class_id, name)
               select ${classId}, n.name from unnest(array[${childNames.map(literal).join(', ')}]::text[]) as n(name)
               returning id, name, class_id),
         g as (insert into guardianships (student_id, user_id, relation, is_primary)
               select s.id, u.id, '父亲', true from s, u),
         c as (insert into consents (user_id, version)
               select id, ${literal(PRIVACY_NOTICE.version)} from u)
    select (select id::text from u) as user_id, (select min(class_id::text) from s) as class_id,
           (select json_agg(json_build_object('id', s.id::text, 'name', s.name) order by s.name) from s) as children`);
  if (!row.class_id) throw new Error(`freshFamily: no class ${options.classId ?? '潍坊七中 初一(1)班'}`);
  if (options.classGroup) await syncClassGroup(ctx, row.class_id);
  const session = options.signIn === false ? undefined : await signIn(ctx, phone);
  return {
    userId: row.user_id,
    phone,
    name,
    classId: row.class_id,
    children: row.children,
    studentId: row.children[0].id,
    studentName: row.children[0].name,
    token: session?.accessToken ?? '',
    refreshToken: session?.refreshToken ?? '',
  };
}

/** The real sign-in: phone and the demo password through POST /auth/login. */
async function signIn(ctx: TestContext, phone: string): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await ctx.parent().post('/auth/login').send({ phone, password: DEMO_PASSWORD });
  if (response.status !== 200) throw new Error(`sign-in of ${phone}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { accessToken: string; refreshToken: string };
}

/** Brings the class group in line with the roster now, as the worker's conversation.sync-class job does. */
async function syncClassGroup(ctx: TestContext, classId: string): Promise<void> {
  const app = ctx.apps.parent ?? ctx.apps.admin ?? ctx.apps.worker ?? ctx.apps.gateway;
  if (!app) throw new Error('freshFamily with classGroup needs a started app');
  await app.get(ConversationService, { strict: false }).syncClassGroup(classId);
}
