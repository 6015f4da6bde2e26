import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/domain/bootstrap/seed-demo';
import { checkPage, launch, pngPhoto, SHOTS, smsCode, startServer, Watched, type RunningServer } from './support';

let server: RunningServer;
let browser: Browser;
const PASSWORD = 'Shanlu-7749-qiao';
const stamp = String(Date.now()).slice(-4);
// Distinct last four digits: the SMS log masks the middle of the number.
/** A resident ID number with a valid check digit (GB 11643). */
function idNumber(seq: number): string {
  const body = `53292419800101${String(seq).padStart(3, '0')}`.slice(0, 17);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}
const applicant = { name: '李秀兰', phone: `1391111${stamp}`, idNumber: idNumber(122) };
const respondent = { name: '王大山', phone: `1392222${String((Number(stamp) + 1) % 10000).padStart(4, '0')}`, idNumber: idNumber(131) };
const stranger = { name: '赵小明', phone: `1393333${String((Number(stamp) + 2) % 10000).padStart(4, '0')}`, idNumber: idNumber(153) };

const ctx: Record<string, { w: Watched; page: Page }> = {};
let caseUrl = '';
let verificationCode = '';
let strangerCodeAt = 0;
/** Beijing time as the pages print it (labels.ts `when`). */
const shown = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
/** What a DatePicker with showTime takes as typed text, in Beijing time. */
const typed = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
/** An antd Select: open it by its label, pick the option shown with this text. */
async function pick(page: Page, label: string, option: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  // The open list is the one that names this input's listbox (rc-select: `${id}_list`).
  const id = await input.getAttribute('id');
  await page.locator(`.ant-select-dropdown:has([id="${id}_list"]) .ant-select-item-option`, { hasText: option }).first().click();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  console.log(`browser screenshots: ${SHOTS}`);
});
// A failed step leaves a screenshot of every open page, to see what the user saw.
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const [who, { page }] of Object.entries(ctx)) {
    await page.screenshot({ path: `${SHOTS}/failed-${task.name.slice(0, 30)}-${who}.png`, fullPage: true }).catch(() => undefined);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A GraphQL call straight to the server, for what other actors do outside the pages under test. */
async function gql(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: Record<string, Record<string, any>> };
}
async function apiLogin(phone: string, password: string): Promise<string> {
  const login = await gql('mutation($i: LoginInput!) { login(input: $i) { ... on LoginSuccess { token } } }', { i: { phone, password } });
  return login.data.login!.token as string;
}

async function open(name: string, phone: boolean) {
  const w = await Watched.open(browser, server.base, phone);
  const page = await w.page();
  ctx[name] = { w, page };
  return { w, page };
}

async function register(page: Page, w: Watched, who: { name: string; phone: string; idNumber: string }, shot?: string) {
  await page.goto(`${server.base}/register`);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByLabel('手机号').fill(who.phone);
  const since = server.lines.length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('短信验证码').fill(await smsCode(server, who.phone, since));
  await page.getByLabel('身份证号').fill(who.idNumber);
  await page.getByLabel('住所（户籍地址）').fill('云南省大理白族自治州宾川县金牛镇圭山村');
  await page.getByLabel('民族').fill('白族');
  await page.getByLabel('职业').fill('农民');
  await page.getByLabel('设置密码').fill(PASSWORD);
  if (shot) await checkPage(page, w, shot);
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByRole('heading', { name: '我的纠纷' }).waitFor();
}

describe('a dispute from filing to judicial confirmation, in the browser', () => {
  it('the applicant and the respondent register with SMS codes on a phone', async () => {
    const a = await open('applicant', true);
    await a.page.goto(server.base + '/');
    await a.page.getByRole('heading', { name: '登录解纷' }).waitFor();
    await checkPage(a.page, a.w, '01-login');
    await register(a.page, a.w, applicant, '02-register');
    await checkPage(a.page, a.w, '03-my-cases-empty');
    const b = await open('respondent', true);
    await register(b.page, b.w, respondent);
  });

  it('the applicant files a dispute, picking the village from the region tree', async () => {
    const { page, w } = ctx.applicant!;
    await page.getByRole('button', { name: '申请调解' }).click();
    await page.getByRole('heading', { name: '申请调解' }).waitFor();
    await page.getByRole('radio', { name: '邻里纠纷' }).check();
    await page.getByText('相邻通行、排水、噪音').waitFor();
    await page.getByRole('combobox', { name: '纠纷发生地' }).click();
    for (const place of ['云南省', '大理白族自治州', '宾川县', '金牛镇']) {
      await page.locator('.ant-cascader-menu-item', { hasText: place }).first().click();
    }
    await page.locator('.ant-cascader-menu').nth(4).locator('.ant-cascader-menu-item', { hasText: '圭山' }).first().click();
    await page.keyboard.press('Escape');
    await page.getByLabel('一句话说明纠纷').fill('邻居修房占了我家通道');
    await page.getByLabel('事情经过').fill('今年十月邻居王大山翻修房屋，把围墙往我家这边砌出一米，挡住了进出的通道。');
    await page.getByLabel('姓名或单位名称').fill(respondent.name);
    await page.getByLabel('对方手机号').fill(respondent.phone);
    await page.getByLabel('您的要求').fill('拆除占用通道的围墙，恢复原状');
    await page.getByLabel('涉及金额（元，可不填）').fill('3000');
    await page.getByLabel('拍照添加证据').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: pngPhoto(48, 36, [120, 90, 60], [200, 190, 170]) });
    await page.getByRole('img', { name: '照片 1' }).waitFor();
    await checkPage(page, w, '04-file-dispute');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: '邻居修房占了我家通道' }).waitFor();
    await page.getByText('申请时拍摄的照片 1').waitFor();
    caseUrl = new URL(page.url()).pathname;
    expect(caseUrl).toMatch(/^\/cases\/.+/);
    await page.getByText('等待对方同意调解').first().waitFor();
    await checkPage(page, w, '05-case-after-filing');
  });

  it('the applicant takes a photo of the wall from the case page; it joins the evidence', async () => {
    const { page, w } = ctx.applicant!;
    await page.getByLabel('照片说明').fill('越界的围墙');
    await page.getByLabel('拍照上传证据').setInputFiles({ name: 'IMG_0002.png', mimeType: 'image/png', buffer: pngPhoto(64, 48, [90, 110, 140], [180, 160, 120]) });
    await page.getByRole('img', { name: '证据照片：越界的围墙' }).waitFor();
    await page.getByRole('img', { name: '证据照片：申请时拍摄的照片 1' }).waitFor();
    await checkPage(page, w, '05b-party-evidence-photo');
  });

  it('the respondent reads the consequences and consents', async () => {
    const { page, w } = ctx.respondent!;
    await page.goto(server.base + '/cases');
    await page.getByRole('link', { name: '邻居修房占了我家通道' }).click();
    await page.getByText('是否同意调解', { exact: true }).waitFor();
    await page.getByText('调解不能进行，本次申请结束').waitFor();
    await checkPage(page, w, '06-respondent-consent');
    await page.getByRole('button', { name: '同意调解' }).click();
    await page.getByText('正在安排调解员').first().waitFor();
    await page.getByText('为什么由这里调解').waitFor();
  });

  it('a stranger sees nothing of the case', async () => {
    const s = await open('stranger', true);
    await register(s.page, s.w, stranger);
    strangerCodeAt = Date.now(); // after the code was requested
    await s.page.getByText('还没有纠纷').waitFor();
    await s.page.goto(server.base + caseUrl);
    await s.page.getByText('没有找到这个纠纷，或者您无权查看').waitFor();
    await expect(s.page.getByText('邻居修房占了我家通道').count()).resolves.toBe(0);
    await checkPage(s.page, s.w, '07-stranger-denied');
  });

  it('the proposed mediator accepts the case from the queue', async () => {
    const a = ctx.applicant!.page;
    await a.reload();
    const mediatorName = (await a.locator('.ant-descriptions-item').filter({ hasText: '调解员' }).textContent()) ?? '';
    const m = server.demo.find((d) => d.role === 'MEDIATOR' && mediatorName.includes(d.name));
    expect(m, `mediator named on the case page: ${mediatorName}`).toBeTruthy();
    const { page, w } = await open('mediator', false);
    await page.goto(server.base + '/login');
    await page.getByLabel('手机号').fill(m!.phone);
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '待办案件' }).waitFor();
    const row = page.locator('tr', { hasText: '邻居修房占了我家通道' });
    await row.waitFor();
    await checkPage(page, w, '09-mediator-queue');
    await row.getByRole('button', { name: /接受案件/ }).click();
    await row.getByText('调解中').waitFor();
    await row.getByRole('link', { name: '邻居修房占了我家通道' }).click();
    await page.getByRole('heading', { name: '邻居修房占了我家通道' }).waitFor();
    await page.getByRole('img', { name: '证据照片：越界的围墙' }).waitFor();
  });

  it('the mediator holds a session: live messages both ways, minutes confirmed by both parties', async () => {
    const { page, w } = ctx.mediator!;
    const startsAt = new Date(Date.now() + 10 * 60_000);
    const local = new Date(startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    await page.getByLabel('时间').click();
    await page.getByLabel('时间').fill(local);
    await page.keyboard.press('Enter');
    await page.getByLabel('地点').fill('圭山村委会调解室');
    await page.getByRole('button', { name: '安排调解会' }).click();
    await page.getByRole('region', { name: '调解室消息' }).waitFor();

    const a = ctx.applicant!.page;
    await a.reload();
    await a.getByRole('region', { name: '调解室消息' }).waitFor();
    await page.getByLabel('输入消息').fill('请双方说明围墙的位置');
    await page.getByRole('button', { name: '发送' }).click();
    await a.getByText('请双方说明围墙的位置').waitFor();
    await a.getByLabel('输入消息').fill('围墙往我家这边多砌了一米');
    await a.getByRole('button', { name: '发送' }).click();
    await page.getByText('围墙往我家这边多砌了一米').waitFor();

    await page.getByLabel('笔录内容').fill('双方到场。申请人称围墙越界一米，被申请人同意拆除越界部分。');
    await page.getByRole('button', { name: '保存笔录' }).click();
    await page.getByText('第 1 版').waitFor();
    await checkPage(page, w, '10-mediator-session');

    for (const who of ['applicant', 'respondent']) {
      const p = ctx[who]!.page;
      await p.reload();
      await p.getByText('被申请人同意拆除越界部分').waitFor();
      await p.getByRole('button', { name: '笔录无误，确认' }).click();
      await p.getByText(/您已确认|各方已确认/).first().waitFor();
    }
    await checkPage(a, ctx.applicant!.w, '11-party-session');
    await page.reload();
    await page.getByText('各方已确认，已锁定').waitFor();
  });

  it('the mediator moves the session to a later time, and the applicant sees the new time', async () => {
    const { page, w } = ctx.mediator!;
    const later = new Date(Date.now() + 2 * 3600_000);
    later.setSeconds(0, 0);
    await page.getByRole('button', { name: '改期' }).click();
    await page.getByLabel('改到', { exact: true }).click();
    await page.getByLabel('改到', { exact: true }).fill(typed(later));
    await page.keyboard.press('Enter');
    await page.getByLabel('改期原因', { exact: true }).fill('被申请人下午要去镇上办事');
    await checkPage(page, w, '10b-mediator-reschedule');
    await page.getByRole('button', { name: '确认改期' }).click();
    await page.getByText(shown(later)).first().waitFor();
    const a = ctx.applicant!.page;
    await a.reload();
    await a.getByText(`调解会：${shown(later)}`).waitFor();
  });

  it('before drafting, the mediator checks each party’s identity document in person', async () => {
    const { page, w } = ctx.mediator!;
    await page.getByText('还有 2 位当事人未当面核验身份').waitFor();
    await pick(page, `${respondent.name}出示的证件`, '户口簿');
    await checkPage(page, w, '10c-mediator-identity-check');
    await page.getByRole('button', { name: `核验无误：${applicant.name}` }).click();
    await page.getByText(/已核验（居民身份证/).waitFor();
    await page.getByRole('button', { name: `核验无误：${respondent.name}` }).click();
    await page.getByText(/已核验（户口簿/).waitFor();
    await page.getByText('各方当事人身份均已核验').waitFor();
    await page.getByText('调解员当面核验身份').first().waitFor();
  });

  it('the township issues a supervision order on the case; the mediator answers it from the case page', async () => {
    // The township committee's admin issues the order through the API (its own pages are not part of this flow).
    const admin = server.demo.find((d) => d.role === 'ORG_ADMIN' && d.phone === '13800002001');
    expect(admin, 'the 金牛镇 committee admin in the demo accounts').toBeTruthy();
    const token = await apiLogin(admin!.phone, DEMO_PASSWORD);
    const { page, w } = ctx.mediator!;
    const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const issued = await gql(
      'mutation($i: IssueSupervisionOrderInput!) { issueSupervisionOrder(input: $i) { __typename ... on IssueSupervisionOrderSuccess { order { id status } } } }',
      { i: { caseId, reason: '当事人多次来电反映调解进度慢', requiredAction: '五日内告知当事人调解安排并报告进展', dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString() } },
      token,
    );
    expect(issued.data.issueSupervisionOrder!.__typename).toBe('IssueSupervisionOrderSuccess');
    await page.reload();
    await page.getByText('当事人多次来电反映调解进度慢').waitFor();
    await page.getByLabel('采取的措施').fill('已电话告知双方改期后的调解安排，并约定现场核验身份后起草协议。');
    await checkPage(page, w, '10d-mediator-supervision');
    await page.getByRole('button', { name: '答复督办' }).click();
    await page.getByText('已答复', { exact: true }).waitFor();
    await page.getByText(/已采取措施：已电话告知双方/).waitFor();
  });

  it('a video session: the applicant re-enters the password and is handed the meeting link', async () => {
    const { page } = ctx.mediator!;
    const startsAt = new Date(Date.now() + 10 * 60_000);
    await page.getByLabel('时间', { exact: true }).click();
    await page.getByLabel('时间', { exact: true }).fill(typed(startsAt));
    await page.keyboard.press('Enter');
    await pick(page, '方式', '视频');
    await page.getByLabel('会议链接').fill('https://meeting.example.org/jiefen-guishan');
    await page.getByRole('button', { name: '安排调解会' }).click();
    await page.getByRole('button', { name: '进入视频调解' }).waitFor();

    const { page: a, w } = ctx.applicant!;
    await a.reload();
    await a.getByRole('button', { name: '进入视频调解' }).click();
    await a.getByLabel('登录密码', { exact: true }).fill(PASSWORD);
    await checkPage(a, w, '11b-party-video-check');
    await a.getByRole('button', { name: '核验并进入' }).click();
    const link = a.getByRole('link', { name: '打开视频会议' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://meeting.example.org/jiefen-guishan');
    await checkPage(a, w, '11c-party-video-link');
    await a.getByRole('button', { name: '关闭' }).first().click();
  });

  it('the mediator calls the video session off; the applicant sees it cancelled with the reason', async () => {
    const { page, w } = ctx.mediator!;
    // The session block holding the line "time · 视频" (the innermost element containing it).
    const video = page.locator('div', { has: page.locator('p', { hasText: '· 视频' }) }).last();
    await video.getByRole('button', { name: '取消调解会' }).click();
    await page.getByLabel('取消原因', { exact: true }).fill('被申请人临时外出，改为现场调解');
    await checkPage(page, w, '11e-mediator-cancel-session');
    await page.getByRole('button', { name: '确认取消' }).click();
    await page.getByText('已取消调解会，已通知当事人').waitFor();
    await expect.poll(() => page.getByRole('button', { name: '进入视频调解' }).count()).toBe(0);

    const { page: a, w: aw } = ctx.applicant!;
    await a.reload();
    await a.getByText(/的调解会已取消：被申请人临时外出，改为现场调解/).waitFor();
    expect(await a.getByRole('button', { name: '进入视频调解' }).count()).toBe(0);
    await checkPage(a, aw, '11f-party-session-cancelled');
  });

  it('the mediator drafts the agreement and everyone signs with the password', async () => {
    const { page } = ctx.mediator!;
    await page.getByLabel('纠纷事实').fill('被申请人翻修房屋时围墙越过界线约一米，占用申请人通道。');
    await page.getByLabel('争议事项').fill('越界围墙是否拆除。');
    await page.getByLabel('协议条款').fill('被申请人于2026年12月20日前拆除越界围墙，恢复通道原状。');
    await page.getByLabel('履行期限').click();
    await page.getByLabel('履行期限').fill('2026-12-20');
    await page.keyboard.press('Enter');
    await page.getByLabel('履行方式').fill('被申请人自行拆除，申请人到场确认');
    // The PDF of the draft beside the form, before anything is stored; it follows the edits.
    await page.getByRole('button', { name: '预览协议' }).click();
    const frame = page.locator('iframe[title="协议预览（草稿）"]');
    await frame.waitFor();
    const first = await frame.getAttribute('src');
    const head = (src: string) => page.evaluate(async (u) => new TextDecoder().decode((await (await fetch(u)).arrayBuffer()).slice(0, 5)), src);
    expect(await head(first!)).toBe('%PDF-');
    await page.getByLabel('协议条款').fill('被申请人于2026年12月20日前拆除越界围墙，恢复通道原状，费用自理。');
    await expect.poll(() => frame.getAttribute('src'), { timeout: 15_000 }).not.toBe(first);
    expect(await head((await frame.getAttribute('src'))!)).toBe('%PDF-');
    await checkPage(page, ctx.mediator!.w, '11d-mediator-draft-preview');
    await page.getByRole('button', { name: '生成协议' }).click();
    await page.getByText('调解协议（签字中）').waitFor();

    for (const who of ['applicant', 'respondent']) {
      const { page: p, w } = ctx[who]!;
      await p.reload();
      await p.getByRole('article', { name: '调解协议正文' }).waitFor();
      if (who === 'applicant') await checkPage(p, w, '12-agreement-to-sign');
      await p.getByRole('button', { name: '签署协议' }).click();
      await p.getByLabel('登录密码').fill(PASSWORD);
      await p.getByRole('button', { name: '确认签字' }).click();
      await p.getByText('您已签字').waitFor();
    }
    await page.reload();
    await page.getByRole('button', { name: '签署协议' }).click();
    await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '确认签字' }).click();
    await page.getByText('调解协议（已生效）').waitFor();
  });

  it('the applicant downloads the signed PDF and both apply for judicial confirmation', async () => {
    const { page, w } = ctx.applicant!;
    await page.reload();
    await page.getByText('调解成功，协议已生效').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载协议 PDF' }).click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/^调解协议-.+\.pdf$/);
    verificationCode = decodeURIComponent((await page.locator('a[href^="/verify/"]').getAttribute('href'))!.slice('/verify/'.length));

    await page.getByRole('radio', { name: /宾川县人民法院/ }).check();
    await checkPage(page, w, '13-apply-for-confirmation');
    await page.getByRole('button', { name: '申请司法确认' }).click();
    await page.getByText('等待对方共同申请').waitFor();

    const b = ctx.respondent!.page;
    await b.reload();
    await b.getByRole('radio', { name: /宾川县人民法院/ }).check();
    await b.getByRole('button', { name: '申请司法确认' }).click();
    await b.getByText('已提交法院').waitFor();
    await b.getByText('法院司法确认中').first().waitFor();
  });

  it('the applicant answers the follow-up on a phone: each term, satisfaction, a comment; the mediator reads it', async () => {
    const { page: a, w } = ctx.applicant!;
    await a.reload();
    const form = a.getByRole('region', { name: '回答回访' });
    await form.waitFor();
    await form.getByLabel('第1项履行情况').getByText('部分履行').click();
    await expect.poll(() => form.getByRole('radio', { name: '部分履行' }).isChecked()).toBe(true);
    await form.getByLabel('第1项说明').fill('围墙拆了一半，通道还没完全打通');
    await form.getByLabel('回访满意度').getByRole('radio', { name: '4分 满意' }).check();
    await form.getByLabel('回访意见').fill('希望调解员督促对方尽快拆完');
    await checkPage(a, w, '15a-party-answer-follow-up');
    await form.getByRole('button', { name: '提交回访答复' }).click();
    const mine = a.getByRole('region', { name: '您的回访答复' });
    await mine.waitFor();
    await mine.getByText('部分履行').waitFor();
    await mine.getByText('围墙拆了一半，通道还没完全打通').waitFor();
    await mine.getByText('满意度：4分 满意').waitFor();
    // Answered once: the form is gone, the follow-up itself is still the mediator's to record.
    expect(await a.getByRole('region', { name: '回答回访' }).count()).toBe(0);
    await a.getByText('待回访').first().waitFor();
    await checkPage(a, w, '15b-party-follow-up-answered');

    const { page, w: mw } = ctx.mediator!;
    await page.reload();
    const theirs = page.getByRole('region', { name: `${applicant.name}的回访答复` });
    await theirs.waitFor();
    await theirs.getByText('部分履行').waitFor();
    await theirs.getByText('希望调解员督促对方尽快拆完').waitFor();
    // The applicant gave its satisfaction itself: the mediator does not ask it again.
    await page.getByText('已自行答复：4分 满意').waitFor();
    await checkPage(page, mw, '15c-mediator-sees-party-answer');
    // The respondent does not read the applicant's answer.
    const b = ctx.respondent!.page;
    await b.reload();
    await b.getByRole('region', { name: '回答回访' }).waitFor();
    expect(await b.getByText('希望调解员督促对方尽快拆完').count()).toBe(0);
  });

  it('the mediator answers the follow-up with each party’s satisfaction; the applicant rates the mediation', async () => {
    const { page, w } = ctx.mediator!;
    await page.reload();
    await page.getByText('协议生效后回访').first().waitFor();
    await pick(page, '回访方式', '上门');
    await pick(page, '第1项履行情况', '已履行');
    await pick(page, `${respondent.name}的满意度`, '4分 满意');
    await page.getByLabel('回访记录', { exact: true }).fill('围墙已拆除，通道恢复，双方关系缓和。');
    await checkPage(page, w, '15-mediator-follow-up');
    await page.getByRole('button', { name: '记录回访' }).click();
    await page.getByText('已回访').first().waitFor();

    const a = ctx.applicant!;
    await a.page.reload();
    await a.page.getByText('回访和评价').waitFor();
    await a.page.getByText('已回访').first().waitFor();
    await a.page.getByRole('radio', { name: '5分 很满意' }).check();
    await a.page.getByLabel('评价意见').fill('调解员很耐心，问题解决了');
    await checkPage(a.page, a.w, '16-party-rating');
    await a.page.getByRole('button', { name: '提交评价' }).click();
    await a.page.getByText('您的评价：').waitFor();
    await a.page.getByText('调解员很耐心，问题解决了').waitFor();
  });

  it('the village grid worker records a lead on a phone and files it for the residents', async () => {
    const gw = server.demo.find((d) => d.role === 'GRID_WORKER' && d.name.includes('圭山'));
    expect(gw, 'the 圭山村 grid worker in the demo accounts').toBeTruthy();
    const { page, w } = await open('grid', true);
    await page.goto(server.base + '/login');
    await page.getByLabel('手机号').fill(gw!.phone);
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '矛盾纠纷排查' }).waitFor();
    await pick(page, '纠纷类型', '土地纠纷');
    await pick(page, '线索来源', '群众反映');
    await page.getByLabel('具体地点').fill('圭山村三组田埂');
    await page.getByLabel('纠纷情况').fill('两户人家为承包地之间的田埂位置争执，已发生口角。');
    await page.getByLabel('当事人 1 姓名').fill('张玉芬');
    await page.getByLabel('当事人 1 手机号').fill(`1394444${stamp}`);
    await page.getByLabel('当事人 2 姓名').fill('段志强');
    await page.getByLabel('当事人 2 手机号').fill(`1395555${stamp}`);
    await checkPage(page, w, '17-grid-record-lead');
    await page.getByRole('button', { name: '记入排查台账' }).click();
    const item = page.locator('.ant-list-item', { hasText: '两户人家为承包地之间的田埂位置争执' });
    await item.waitFor();
    await item.getByText('待处理').waitFor();
    await item.getByRole('button', { name: '为居民申请调解' }).click();
    await item.getByText(/已转为调解案件/).waitFor();
    await checkPage(page, w, '18-grid-ledger');
  });

  it('the public verification page shows the agreement to anyone', async () => {
    const { page, w } = await open('public', true);
    await page.goto(`${server.base}/verify/${verificationCode}`);
    await page.getByText('该协议已生效').waitFor();
    await page.getByText('金牛镇圭山村人民调解委员会').waitFor();
    await checkPage(page, w, '14-verify');
    await page.goto(`${server.base}/verify/NOPE-0000`);
    await page.getByText('查无此协议').waitFor();
  });

  it('a forgotten password is reset with an SMS code', async () => {
    const { page, w } = ctx.stranger!;
    // One code per phone per minute: wait out the registration code's minute.
    await new Promise((r) => setTimeout(r, Math.max(0, strangerCodeAt + 61_000 - Date.now())));
    await page.getByRole('button', { name: '退出' }).click();
    await page.goto(server.base + '/reset');
    await page.getByLabel('手机号').fill(stranger.phone);
    const since = server.lines.length;
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByLabel('短信验证码').fill(await smsCode(server, stranger.phone, since));
    await page.getByLabel('新密码').fill('Xinmima-2026-qiao');
    await checkPage(page, w, '08-reset-password');
    await page.getByRole('button', { name: '重设密码' }).click();
    await page.getByRole('heading', { name: '登录解纷' }).waitFor();
    await page.getByLabel('手机号').fill(stranger.phone);
    await page.getByLabel('密码', { exact: true }).fill('Xinmima-2026-qiao');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的纠纷' }).waitFor();
  });

  it('on a second case, the applicant asks for another mediator and the case goes to another one', async () => {
    // The second case is filed, consented to and accepted through the API; the request is made on the page.
    const [applicantToken, respondentToken] = [await apiLogin(applicant.phone, PASSWORD), await apiLogin(respondent.phone, PASSWORD)];
    const firstId = decodeURIComponent(caseUrl.split('/').pop()!);
    const first = await gql('query($id: ID!) { case(id: $id) { regionCode } }', { id: firstId }, applicantToken);
    const filed = await gql(
      'mutation($i: FileDisputeInput!) { fileDispute(input: $i) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { message } } }',
      { i: { category: 'NEIGHBOR', title: '排水沟堵塞纠纷', description: '被申请人在排水沟上堆放柴草，雨水倒灌进申请人院内。', regionCode: first.data.case!.regionCode, respondents: [{ name: respondent.name, phone: respondent.phone }] } },
      applicantToken,
    );
    expect(filed.data.fileDispute!.__typename, JSON.stringify(filed)).toBe('FileDisputeSuccess');
    const id = filed.data.fileDispute!.case.id as string;
    const consent = await gql('mutation($i: RespondToMediationInput!) { respondToMediation(input: $i) { __typename ... on RespondToMediationSuccess { case { mediator { name } } } } }', { i: { caseId: id, accept: true } }, respondentToken);
    const proposed = consent.data.respondToMediation!.case.mediator.name as string;
    const m = server.demo.find((d) => d.role === 'MEDIATOR' && d.name === proposed);
    expect(m, `proposed mediator ${proposed} in the demo accounts`).toBeTruthy();
    const accepted = await gql('mutation($i: AcceptAssignmentInput!) { acceptAssignment(input: $i) { __typename } }', { i: { caseId: id } }, await apiLogin(m!.phone, DEMO_PASSWORD));
    expect(accepted.data.acceptAssignment!.__typename).toBe('AcceptAssignmentSuccess');

    const { page, w } = ctx.applicant!;
    await page.goto(`${server.base}/cases/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: '排水沟堵塞纠纷' }).waitFor();
    const mediatorItem = page.locator('.ant-descriptions-item').filter({ hasText: '调解员' });
    await mediatorItem.getByText(proposed).waitFor();
    await page.getByRole('button', { name: '申请更换调解员' }).click();
    await page.getByLabel('更换原因').fill('调解员与被申请人是亲戚，担心不公正');
    await checkPage(page, w, '19-party-another-mediator');
    await page.getByRole('button', { name: '提交更换申请' }).click();
    await page.getByText('已提交更换申请').waitFor();
    await page.getByText('正在安排调解员').first().waitFor();
    await expect.poll(async () => (await mediatorItem.textContent()) ?? '').not.toContain(proposed);
    expect(await page.getByRole('button', { name: '申请更换调解员' }).count()).toBe(0);
    await checkPage(page, w, '20-party-mediator-changed');
    // The first case is untouched: it stays with its mediator, in confirmation.
    await page.goto(server.base + caseUrl);
    await page.getByText('法院司法确认中').first().waitFor();
  });

});
