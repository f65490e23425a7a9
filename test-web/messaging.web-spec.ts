import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, TEACHER, watchErrors } from './support/browser';

const GROUP = '潍坊七中 初一(1)班';

/** Teacher and parent on two phones, in the class group of 初一(1)班, talking through the real gateway. */
describe('消息: the class group between a teacher and a parent, in real time', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let teacher: Page;
  let parent: Page;
  let errors: string[][];

  async function openGroup(page: Page) {
    const item = page.getByTestId('conversation-item').filter({ hasText: GROUP });
    await item.click();
    await page.waitForURL(/\/h5\/chat\//);
    await page.getByTestId('message-input').waitFor();
  }
  const bubble = (page: Page, text: string) => page.getByTestId('message-item').filter({ hasText: text });

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const pages: Page[] = [];
    errors = [];
    for (const who of [TEACHER, PARENT]) {
      const context = await phone(browser);
      contexts.push(context);
      const page = await context.newPage();
      errors.push(watchErrors(page));
      await signIn(page, platform.h5, who);
      pages.push(page);
    }
    [teacher, parent] = pages;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
  });

  it('shows the group with its unread badge and last message, then opens it', async () => {
    const item = parent.getByTestId('conversation-item').filter({ hasText: GROUP });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('欢迎加入初一(1)班家长群');
    await expect(item.getByLabel(/条未读/).textContent()).resolves.toBe('1');
    await openGroup(parent);
    await openGroup(teacher);
    await inspect(parent, 'h5-chat-parent');
  });

  it('delivers a parent’s message to the teacher at once, with its seq, and the reply back', async () => {
    await parent.getByTestId('message-input').fill('张老师好，小雨今天有点发烧，请假一天。');
    await parent.getByTestId('message-send').click();
    const sent = bubble(parent, '请假一天');
    await sent.waitFor();
    const seq = Number(await sent.getAttribute('data-seq'));
    expect(seq).toBeGreaterThan(1);
    await expect(parent.getByTestId('message-pending').count()).resolves.toBe(0);

    const received = bubble(teacher, '请假一天');
    await received.waitFor({ timeout: 10_000 });
    await expect(received.getAttribute('data-seq')).resolves.toBe(String(seq));

    await teacher.getByTestId('message-input').fill('收到，祝小雨早日康复！');
    await teacher.getByTestId('message-input').press('Enter');
    await bubble(parent, '早日康复').waitFor({ timeout: 10_000 });
    await inspect(teacher, 'h5-chat-teacher');
  });

  it('a notice needing 回执: the parent confirms it and the teacher sees the family under 已确认', async () => {
    await teacher.getByTestId('notice-compose').click();
    await teacher.getByTestId('notice-title').fill('周五家长会');
    await teacher.getByTestId('notice-text').fill('本周五下午三点在初一(1)班教室召开家长会，请准时参加。');
    await inspect(teacher, 'h5-notice-form');
    await teacher.getByTestId('notice-send').click();

    const notice = bubble(parent, '周五家长会');
    await notice.getByTestId('notice-ack').click({ timeout: 10_000 });
    await notice.getByTestId('notice-acked').waitFor();

    await bubble(teacher, '周五家长会').getByTestId('notice-receipts').click();
    const sheet = teacher.getByTestId('receipts');
    await sheet.getByTestId('receipt-family').first().waitFor();
    await expect(sheet.getByTestId('receipts-done').textContent()).resolves.toContain('已确认（1）');
    await expect(sheet.getByTestId('receipt-family').allTextContents()).resolves.toEqual([expect.stringContaining('陈小雨')]);
    await sheet.getByTestId('receipts-pending').click();
    await expect(sheet.getByTestId('receipt-family').count()).resolves.toBeGreaterThan(0);
    await inspect(teacher, 'h5-receipts');
    await sheet.getByTestId('notice-remind').click();
    await teacher.getByText(/已提醒 \d+ 位家长/).waitFor();
    await sheet.locator('..').getByTestId('sheet-close').click();
    await sheet.waitFor({ state: 'hidden' });
  });

  it('the teacher recalls a message within 2 minutes; the parent sees the tombstone', async () => {
    await teacher.getByTestId('message-input').fill('这条发错了');
    await teacher.getByTestId('message-send').click();
    await bubble(parent, '这条发错了').waitFor({ timeout: 10_000 });
    await bubble(teacher, '这条发错了').getByTestId('message-recall').click();
    await teacher.getByRole('button', { name: '确认' }).click();
    await bubble(parent, '撤回了一条消息').first().waitFor({ timeout: 10_000 });
    await expect(bubble(parent, '这条发错了').count()).resolves.toBe(0);
  });

  it('只允许老师发言: parents can read but not write while it is on', async () => {
    await teacher.getByTestId('chat-settings').click();
    await teacher.getByTestId('staff-only').click();
    await parent.getByText('本群仅老师可发言').waitFor({ timeout: 10_000 });
    await teacher.getByTestId('staff-only').click();
    await parent.getByTestId('message-input').waitFor({ timeout: 10_000 });
    await teacher.getByRole('dialog', { name: '群设置' }).getByTestId('sheet-close').click();
  });

  it('shows no errors in either browser', () => {
    expect(errors).toEqual([[], []]);
  });
});
