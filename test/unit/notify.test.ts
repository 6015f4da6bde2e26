import { describe, expect, it } from 'vitest';
import { createLoggingSender, createMemorySender, maskPhone } from '../../server/domain/notify/sender';

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138 1234 1234', '138****1234'],
    ['+8613812341234', '+86138****1234'],
    ['0871-6512345', '*******2345'],
    ['123', '***'],
  ])('%s -> %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});

describe('createLoggingSender', () => {
  function capture() {
    const lines: Array<{ obj: object; msg?: string }> = [];
    return { lines, log: { info: (obj: object, msg?: string) => void lines.push({ obj, msg }) } };
  }

  it('logs SMS with the phone masked and never the full number or params', async () => {
    const { lines, log } = capture();
    const sender = createLoggingSender(log, () => 'fixed');
    const res = await sender.send({ channel: 'SMS', to: '13812341234', template: 'CASE_ASSIGNED', params: { code: '928371', name: '王五' } });
    expect(res).toEqual({ providerMessageId: 'log-fixed' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({ channel: 'SMS', to: '138****1234', template: 'CASE_ASSIGNED', providerMessageId: 'log-fixed' });
    const serialised = JSON.stringify(lines);
    expect(serialised).not.toContain('13812341234');
    expect(serialised).not.toContain('928371');
    expect(serialised).not.toContain('王五');
  });

  it('logs in-app recipients (user ids) as they are', async () => {
    const { lines, log } = capture();
    await createLoggingSender(log).send({ channel: 'IN_APP', to: 'user_7', template: 'T', params: {} });
    expect(lines[0]!.obj).toMatchObject({ to: 'user_7' });
  });

  it('returns distinct ids by default', async () => {
    const { log } = capture();
    const sender = createLoggingSender(log);
    const a = await sender.send({ channel: 'SMS', to: '13812341234', template: 'T', params: {} });
    const b = await sender.send({ channel: 'SMS', to: '13812341234', template: 'T', params: {} });
    expect(a.providerMessageId).not.toBe(b.providerMessageId);
  });
});

describe('createMemorySender', () => {
  it('records messages with sequential ids, and can be cleared', async () => {
    const sender = createMemorySender();
    const params = { caseNumber: '滇调2026-0001' };
    expect(await sender.send({ channel: 'SMS', to: '13900001111', template: 'A', params })).toEqual({ providerMessageId: 'mem-1' });
    expect(await sender.send({ channel: 'IN_APP', to: 'user_1', template: 'B', params: {} })).toEqual({ providerMessageId: 'mem-2' });
    params.caseNumber = 'changed';
    expect(sender.sent).toEqual([
      { channel: 'SMS', to: '13900001111', template: 'A', params: { caseNumber: '滇调2026-0001' }, providerMessageId: 'mem-1' },
      { channel: 'IN_APP', to: 'user_1', template: 'B', params: {}, providerMessageId: 'mem-2' },
    ]);
    sender.clear();
    expect(sender.sent).toHaveLength(0);
  });
});
