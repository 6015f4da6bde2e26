import { useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { graphql, request, unwrap } from '../../graphql';

const ISSUE = graphql(`
  mutation IssueSupervisionOrder($input: IssueSupervisionOrderInput!) {
    issueSupervisionOrder(input: $input) {
      __typename
      ... on IssueSupervisionOrderSuccess { order { id status receivingOrganization { name } } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

/** What the order is about: a case, a screening lead, or an entry of the proposal queue. */
export interface OrderSubject {
  caseId?: string;
  leadId?: string;
  proposalId?: string;
  /** Shown in the dialog: the case title or the lead's description. */
  title: string;
  reason?: string;
}

/** The datetime-local value three days from now (the browser's local time). */
function inThreeDays(): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** 督办: the dialog that issues an order on a case or lead to the organisation holding it. */
export function IssueOrderModal({ subject, onClose, onIssued }: { subject: OrderSubject | null; onClose(): void; onIssued(receiver: string): void }) {
  const [form] = Form.useForm<{ reason: string; requiredAction: string; dueAt: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = unwrap(
        (
          await request(ISSUE, {
            input: {
              caseId: subject!.caseId ?? null,
              leadId: subject!.leadId ?? null,
              proposalId: subject!.proposalId ?? null,
              reason: v.reason,
              requiredAction: v.requiredAction,
              dueAt: new Date(v.dueAt).toISOString(),
            },
          })
        ).issueSupervisionOrder,
      );
      form.resetFields();
      onIssued(r.order.receivingOrganization.name);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!subject} title="发出督办" okText="发出督办" cancelText="取消" confirmLoading={busy} onCancel={onClose} onOk={submit} destroyOnHidden>
      <p>事项：{subject?.title}</p>
      {error && <Alert type="error" title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ reason: subject?.reason ?? '', dueAt: inThreeDays() }} preserve={false}>
        <Form.Item name="reason" label="督办事由" rules={[{ required: true, message: '请填写督办事由' }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="requiredAction" label="办理要求" rules={[{ required: true, message: '请填写要求对方做什么' }]}>
          <Input.TextArea rows={3} placeholder="例如：三日内落实包保责任人，报告化解方案" />
        </Form.Item>
        <Form.Item name="dueAt" label="答复期限" rules={[{ required: true, message: '请选择答复期限' }]}>
          <Input type="datetime-local" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
