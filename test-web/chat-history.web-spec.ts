import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, TEACHER, watchErrors } from './support/browser';

const GROUP = '潍坊七中 初一(1)班';
const PER_SENDER = 20;

/** 消息: a chat longer than one page (50) shows the newest; scrolling to the top loads the earlier ones. */
describe('消息: older history while scrolling up', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const seqs = async () =>
    (await page.getByTestId('message-item').evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-seq'))))) as number[];
  const scrollTop = () => page.getByTestId('message-list').evaluate((list) => list.scrollTop);

  beforeAll(async () => {
    platform = await startPlatform();
    const [{ id: groupId }] = await platform.query<{ id: string }>(`select id from conversations where title = '${GROUP}'`);
    // 60 messages after the seed's welcome notice, from three members (each within the send rate limit).
    let n = 0;
    for (const sender of [TEACHER, '13900000004', PARENT]) {
      const token = await platform.login(sender);
      for (let i = 0; i < PER_SENDER; i++) {
        n++;
        await platform
          .parent()
          .post(`/conversations/${groupId}/messages`)
          .set('authorization', `Bearer ${token}`)
          .send({ clientMsgId: `history-${n}`, type: 'text', text: `第 ${n} 条历史消息` })
          .expect(201);
      }
    }
    browser = await launchBrowser();
    context = await phone(browser);
    page = await context.newPage();
    errors = watchErrors(page);
    await signIn(page, platform.h5, PARENT);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.close();
  });

  it('opens at the newest page of 50, scrolled to the end', async () => {
    await page.getByTestId('conversation-item').filter({ hasText: GROUP }).click();
    await page.getByTestId('message-item').filter({ hasText: '第 60 条历史消息' }).waitFor();
    const held = await seqs();
    expect(held).toHaveLength(50);
    expect(held[0]).toBe(12);
    expect(held.at(-1)).toBe(61);
    await expect(page.getByTestId('history-start').count()).resolves.toBe(0);
    expect(await scrollTop()).toBeGreaterThan(0);
  });

  it('scrolling to the top loads the earlier messages and keeps the one being read in place', async () => {
    const anchor = page.locator('[data-testid="message-item"][data-seq="12"]');
    await page.getByTestId('message-list').evaluate((list) => list.scrollTo({ top: 0 }));
    await page.locator('[data-testid="message-item"][data-seq="1"]').waitFor({ state: 'attached' });
    const held = await seqs();
    expect(held).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    // The message that was at the top is still on screen, where it was: the earlier ones are above it.
    expect(await scrollTop()).toBeGreaterThan(0);
    const box = await anchor.boundingBox();
    const list = await page.getByTestId('message-list').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(list!.y - 1);
    expect(box!.y).toBeLessThan(list!.y + list!.height);

    await page.getByTestId('message-list').evaluate((list) => list.scrollTo({ top: 0 }));
    await page.getByTestId('history-start').waitFor();
    await expect(page.getByTestId('message-item').first().textContent()).resolves.toContain('欢迎加入初一(1)班家长群');
    await inspect(page, 'h5-chat-history');
    expect(errors).toEqual([]);
  });
});
