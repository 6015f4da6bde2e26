import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/domain/bootstrap/seed-demo';
import { checkPage, launch, SHOTS, startServer, Watched, type RunningServer } from './support';

let server: RunningServer;
let browser: Browser;
const ctx: Record<string, { w: Watched; page: Page }> = {};

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  console.log(`browser screenshots: ${SHOTS}`);
});
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const [who, { page }] of Object.entries(ctx)) {
    await page.screenshot({ path: `${SHOTS}/failed-staff-${task.name.slice(0, 30)}-${who}.png`, fullPage: true }).catch(() => undefined);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Logs a demo account in on a desktop window and waits for its first screen. */
async function logIn(who: string, phone: string, heading: string): Promise<{ w: Watched; page: Page }> {
  const w = await Watched.open(browser, server.base, false);
  const page = await w.page();
  ctx[who] = { w, page };
  await page.goto(server.base + '/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
  return { w, page };
}

async function openTab(page: Page, name: string, heading: string) {
  await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
}

/** Clicks a download button and returns the first bytes of the file the browser saved. */
async function downloaded(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).first().click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

const DEBT_LEAD = '借款两万元到期未还';

/** Presses a dialog's button once its opening animation has ended, and waits for it to close. */
async function confirm(page: Page, button: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: button }).waitFor();
  await page.waitForTimeout(400);
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** An ECharts bar chart drew `label` in its SVG, and its figures table for screen readers names it too. */
async function chartShows(page: Page, chart: string, label: string) {
  const figure = page.getByRole('figure', { name: chart });
  await figure.locator('svg text', { hasText: label }).first().waitFor();
  expect(await figure.getByRole('table').locator('th, td', { hasText: label }).count()).toBeGreaterThan(0);
}

describe('county and township staff in the browser', () => {
  it('the county 综治中心 sees its statistics and downloads the monthly report', async () => {
    const { page, w } = await logIn('center', '13800002005', '工作台 · 统计');
    expect(new URL(page.url()).pathname).toBe('/staff');
    await page.getByText('宾川县，近六个月').waitFor();
    await page.getByText('受理案件', { exact: true }).waitFor();
    // The two demo cases filed in 圭山村 are counted in the county's figures.
    const filed = page.locator('.ant-statistic').filter({ hasText: '受理案件' }).locator('.ant-statistic-content');
    await expect.poll(async () => Number(await filed.textContent())).toBeGreaterThanOrEqual(2);
    await chartShows(page, '按纠纷类型受理案件数', '邻里纠纷');
    await chartShows(page, '按月受理与调解成功案件数', '调解成功');
    await checkPage(page, w, 'staff-01-dashboard');
    const xlsx = await downloaded(page, '下载月报（Excel）');
    expect(xlsx.name).toMatch(/^月报-宾川县-\d{4}-\d{2}\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    const pdf = await downloaded(page, '下载月报（PDF）');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the 综治中心 reads the screening ledger and issues a supervision order on an open lead', async () => {
    const { page, w } = ctx.center!;
    await openTab(page, '排查台账', '排查台账');
    const row = page.locator('tr', { hasText: DEBT_LEAD });
    await row.waitFor();
    await page.getByText('两兄弟因院墙滴水问题争吵').waitFor();
    await checkPage(page, w, 'staff-02-screening');
    await row.getByRole('button', { name: /督办/ }).click();
    const dialog = page.getByRole('dialog', { name: '发出督办' });
    await dialog.getByLabel('办理要求').fill('五日内组织双方调解，报告还款安排');
    await checkPage(page, w, 'staff-03-issue-order');
    await confirm(page, '发出督办');
    await page.getByText('已向金牛镇圭山村人民调解委员会发出督办').waitFor();

    await openTab(page, '督办', '督办 · 待决定事项');
    const order = page.locator('tr', { hasText: DEBT_LEAD });
    await order.getByText('待答复').waitFor();
    // The seeded order of 金牛镇 is in the county's view too.
    await page.locator('tr', { hasText: '兄弟分家产争吵' }).waitFor();
    await checkPage(page, w, 'staff-04-supervision');
  });

  it('the county reads the rosters of its organisations and mediators', async () => {
    const { page, w } = ctx.center!;
    await openTab(page, '组织与调解员名册', '组织与调解员名册');
    const row = page.locator('tr', { hasText: '金牛镇圭山村人民调解委员会' });
    await row.getByRole('button', { name: /展开/ }).click();
    await page.getByText('村调委会主任').waitFor();
    await expect(page.getByText('西畴县人民调解委员会').count()).resolves.toBe(0);
    await checkPage(page, w, 'staff-05-rosters');
    // Enlarged text: the dashboard's charts and tables grow with it.
    await openTab(page, '工作台', '工作台 · 统计');
    await page.locator('label', { hasText: '超大字' }).click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('21px');
    await chartShows(page, '按纠纷类型受理案件数', '邻里纠纷');
    // The chart's labels are drawn at the enlarged size (0.85 of the root's 21px).
    const labelSize = await page
      .getByRole('figure', { name: '按纠纷类型受理案件数' })
      .locator('svg text', { hasText: '邻里纠纷' })
      .first()
      .evaluate((t) => parseFloat(getComputedStyle(t).fontSize) || parseFloat(t.getAttribute('style')?.match(/font-size:\s*([\d.]+)px/)?.[1] ?? '0'));
    expect(labelSize).toBeGreaterThanOrEqual(17);
    await checkPage(page, w, 'staff-10-dashboard-xlarge');
    await page.locator('label', { hasText: '标准字' }).click();
  });

  it('the 圭山村 mediator answers the order', async () => {
    const { page, w } = await logIn('mediator', '13800001001', '待办案件');
    await page.getByRole('link', { name: '工作台', exact: true }).first().click();
    await openTab(page, '督办', '督办单');
    const order = page.locator('tr', { hasText: DEBT_LEAD });
    await order.getByRole('button', { name: /答复督办/ }).click();
    const dialog = page.getByRole('dialog', { name: '答复督办' });
    await dialog.getByLabel('采取的措施').fill('已约双方到村委会面谈，出借人同意分三期收款');
    await dialog.getByLabel('办理结果（可选）').fill('签订还款计划，第一期五千元已付');
    await confirm(page, '提交答复');
    await page.getByText('已答复督办').waitFor();
    await order.getByText('已答复').waitFor();
    await checkPage(page, w, 'staff-06-supervision-answered');
  });

  it('the 金牛镇司法所 drafts and reviews the month’s 以案定补 statement', async () => {
    const { page, w } = await logIn('township', '13800002007', '工作台 · 统计');
    await checkPage(page, w, 'staff-07-township-dashboard');
    await openTab(page, '以案定补', '以案定补 · 补贴表');
    await page.getByRole('button', { name: '起草本月补贴表' }).click();
    await page.getByText(/已起草 \d{4}-\d{2} 补贴表/).waitFor();
    const card = page.locator('.ant-card', { hasText: '金牛镇 · ' });
    await card.getByText('草稿').waitFor();
    await card.getByText(/一般 · 补贴 200\.00 元/).waitFor();
    await card.getByText('未回访').waitFor();
    await card.getByRole('button', { name: '审核通过' }).click();
    await page.getByRole('dialog').getByLabel('审核意见（可选）').fill('已核对协议和回访记录');
    await confirm(page, '审核通过');
    await card.getByText('司法所已审核').waitFor();
    await checkPage(page, w, 'staff-08-subsidy-reviewed');
  });

  it('the 宾川县司法局 approves and pays it, and downloads the Excel', async () => {
    const { page, w } = await logIn('county', '13800002006', '工作台 · 统计');
    await openTab(page, '以案定补', '以案定补 · 补贴表');
    const card = page.locator('.ant-card', { hasText: '金牛镇 · ' });
    await card.getByText('司法所已审核').waitFor();
    await card.getByRole('button', { name: '审批通过' }).click();
    await confirm(page, '审批通过');
    await card.getByText('司法局已审批').waitFor();
    await card.getByRole('button', { name: '登记发放' }).click();
    await page.getByRole('dialog').getByLabel(/发放说明/).fill('县财政国库集中支付 2026-117 批');
    await confirm(page, '登记发放');
    await card.getByText('已发放').first().waitFor();
    await card.getByText(/司法局审批/).waitFor();
    const xlsx = await downloaded(page, '下载 Excel');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    await checkPage(page, w, 'staff-09-subsidy-paid');
  });

  it('a committee admin adds a mediator to their own roster, after the server refuses a phone already in use', async () => {
    const { page, w } = await logIn('jinniuAdmin', '13800002001', '待办案件');
    await page.goto(server.base + '/staff/rosters');
    await page.getByRole('heading', { name: '组织与调解员名册' }).waitFor();
    await page.locator('tr', { hasText: '金牛镇圭山村人民调解委员会' }).first().waitFor();
    // Only a platform admin adds organisations; another committee's roster is not this admin's to keep.
    await expect(page.getByRole('button', { name: '新增组织' }).count()).resolves.toBe(0);
    await page.locator('tr', { hasText: '金牛镇圭山村人民调解委员会' }).getByRole('button', { name: /展开/ }).click();
    const guishan = page.getByRole('region', { name: '金牛镇圭山村人民调解委员会调解员名册' });
    await guishan.getByText('村调委会主任').waitFor();
    await expect(guishan.getByRole('button', { name: '新增调解员' }).count()).resolves.toBe(0);

    await page.locator('tr', { hasText: '宾川县金牛镇人民调解委员会' }).getByRole('button', { name: /展开/ }).click();
    const own = page.getByRole('region', { name: '宾川县金牛镇人民调解委员会调解员名册' });
    await own.getByRole('button', { name: '新增调解员' }).click();
    const name = `段雪梅${String(Date.now()).slice(-2)}`;
    await own.getByLabel('调解员姓名').fill(name);
    await own.getByLabel('调解员手机号').fill('13800002002'); // the 圭山村 grid worker's
    await own.getByLabel('初始密码').fill('Jinniu-tiaojie-2026');
    await own.getByLabel('职务').fill('专职人民调解员');
    await own.getByRole('button', { name: '保存调解员' }).click();
    // The server's ValidationError, told in Chinese above the buttons and under the phone input.
    await own.getByRole('alert').getByText('填写的内容有误：手机号已被注册').waitFor();
    await own.locator('.ant-form-item-explain-error', { hasText: '手机号已被注册' }).waitFor();
    await checkPage(page, w, 'staff-11-roster-mediator-refused');

    await own.getByLabel('调解员手机号').fill(`1390871${String(Date.now()).slice(-4)}`);
    await own.getByRole('button', { name: '保存调解员' }).click();
    await page.getByText(`已新增调解员：${name}`).waitFor();
    const row = own.locator('tr', { hasText: name });
    await row.waitFor();
    await row.getByText('专职人民调解员').waitFor();
    await checkPage(page, w, 'staff-12-roster-mediator-added');
  });

  it('the platform admin adds an organisation and its first staff account', async () => {
    const { page, w } = await logIn('platform', '13800000000', '工作台 · 统计');
    await openTab(page, '组织与调解员名册', '组织与调解员名册');
    await page.getByRole('button', { name: '新增组织' }).click();
    const form = page.locator('form#create-organization');
    const orgName = `宾川县金牛镇物业纠纷人民调解委员会${String(Date.now()).slice(-3)}`;
    await form.getByLabel('组织名称').fill(orgName);
    await form.getByLabel('组织类型', { exact: true }).click();
    await page.locator('.ant-select-item-option', { hasText: /^人民调解委员会$/ }).click();
    await form.getByLabel('所在地区').click();
    await page.locator('.ant-cascader-menu-item', { hasText: /^宾川县$/ }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: /^金牛镇$/ }).click();
    await page.keyboard.press('Escape');
    await checkPage(page, w, 'staff-13-organization-form');
    await form.getByRole('button', { name: '保存组织' }).click();
    await page.getByText(`已新增组织：${orgName}`).waitFor();
    const row = page.locator('tr', { hasText: orgName });
    await row.waitFor();
    await row.getByRole('button', { name: /展开/ }).click();
    const roster = page.getByRole('region', { name: `${orgName}调解员名册` });
    await roster.getByText('该组织尚未公布调解员').waitFor();
    await roster.getByRole('button', { name: '新增工作人员账号' }).click();
    await roster.getByLabel('账号角色').click();
    await page.locator('.ant-select-item-option', { hasText: '组织管理员' }).click();
    await roster.getByLabel('工作人员姓名').fill('物业调委会管理员');
    await roster.getByLabel('工作人员手机号').fill(`1390872${String(Date.now()).slice(-4)}`);
    await roster.getByLabel('账号初始密码').fill('Wuye-guanli-2026');
    await roster.getByRole('button', { name: '保存账号' }).click();
    await page.getByText('已新增组织管理员账号：物业调委会管理员').waitFor();
    await checkPage(page, w, 'staff-14-organization-added');
  });
});
