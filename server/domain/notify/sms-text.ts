import type { NotificationMessage } from './sender';

/** The Chinese text of an SMS for gateways that take free text (the http provider). */
export function smsText(msg: NotificationMessage): string {
  if (msg.template === 'auth.phone_code') {
    return `【解纷】您的验证码是${msg.params.code}，${msg.params.minutes ?? '5'}分钟内有效。请勿告诉他人。`;
  }
  const number = msg.params.caseNumber ? `（${msg.params.caseNumber}）` : '';
  return `【解纷】您的案件${number}有新的进展，请登录平台查看。`;
}
