import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';
import { consoleSignIn, COORDINATOR, desktop, DISTRICT_ADMIN, settled } from './support/console';

/** 心理辅导: a parent asks 心语小屋 for an appointment on the H5, its staff answers in the console, the parent sees it. */
describe('心理辅导: a private appointment request from the H5, answered in the console', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('the parent requests, the site staff accepts with a time, the parent sees the time and the reply', async () => {
    const h5 = await phone(browser);
    const parent = await h5.newPage();
    const parentErrors = watchErrors(parent);
    await signIn(parent, platform.h5, PARENT);
    await parent.getByTestId('tab-activities').click();
    await parent.getByTestId('counselling-link').click();
    await parent.getByTestId('sites-school').getByText('心语小屋').waitFor();
    await parent.getByTestId('sites-district').getByText('奎文区未成年人心理辅导中心').waitFor();
    await parent.getByTestId('sites-city').getByRole('link', { name: /12355/ }).waitFor();
    await parent.waitForLoadState('networkidle');
    await inspect(parent, 'h5-counselling');

    await parent.getByTestId('counselling-site').filter({ hasText: '心语小屋' }).getByTestId('counselling-ask').click();
    await parent.getByText('学习', { exact: true }).click();
    await parent.getByTestId('counselling-child').selectOption({ label: '陈小雨（潍坊七中）' });
    await parent.getByTestId('counselling-description').fill('孩子最近写作业拖到很晚，一说就哭。');
    await parent.getByTestId('counselling-times').fill('周三下午 16:30 以后');
    await expect(parent.getByTestId('counselling-phone').inputValue()).resolves.toBe(PARENT);
    await inspect(parent, 'h5-counselling-form');
    await parent.getByTestId('counselling-submit').click();
    await parent.getByTestId('toast').getByText('已提交').waitFor();
    const request = parent.getByTestId('counselling-request').filter({ hasText: '心语小屋' });
    await request.getByTestId('counselling-status').getByText('待处理').waitFor();

    // The district admin manages the school's sites but is not on the room's staff: no request shown.
    const district = await (await desktop(browser)).newPage();
    await consoleSignIn(district, platform.console, DISTRICT_ADMIN);
    await district.getByTestId('nav-counselling').click();
    await district.getByTestId('requests-table').getByText('暂无预约申请').waitFor();
    await district.getByTestId('manage-sites').click();
    await district.getByTestId('sites-table').getByText('奎文区未成年人心理辅导中心').waitFor();
    await settled(district);
    // The pointer left over 新增站点 (where the link was) would show its hover colour.
    await district.mouse.move(0, 0);
    await inspect(district, 'console-support-sites-district');

    // The coordinator is on 心语小屋's staff: she accepts it with a time and a reply.
    const staff = await (await desktop(browser)).newPage();
    const staffErrors = watchErrors(staff);
    await consoleSignIn(staff, platform.console, COORDINATOR);
    await staff.getByTestId('nav-counselling').click();
    const row = staff.getByTestId('requests-table').locator('tr').filter({ hasText: '孩子最近写作业拖到很晚' });
    await row.waitFor();
    await settled(staff);
    await inspect(staff, 'console-counselling');
    await row.getByTestId('request-handle').click();
    await staff.getByTestId('request-reply').fill('请周三 16:30 到行政楼三楼 302 心语小屋。');
    await inspect(staff, 'console-counselling-handle');
    await staff.getByTestId('request-accept').click();
    await staff.getByText('已处理，家长会收到通知').waitFor();

    await parent.reload();
    await request.getByTestId('counselling-status').getByText('已预约').waitFor();
    await request.getByTestId('counselling-reply').getByText('请周三 16:30 到行政楼三楼 302 心语小屋。').waitFor();
    await request.getByText(/预约时间：\d{4}-\d{2}-\d{2} 16:30/).waitFor();
    await inspect(parent, 'h5-counselling-accepted');
    const [note] = await platform.query<{ title: string }>(
      `select n.title from notifications n join users u on u.id = n.user_id where u.phone = '${PARENT}' and n.kind = 'counselling.updated'`,
    );
    expect(note.title).toBe('【心理辅导】您的预约有新进展');
    expect(parentErrors).toEqual([]);
    expect(staffErrors).toEqual([]);
  });
});
