import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { graphql, request, unwrap } from '../graphql';

const DRAFT = graphql(`
  mutation DraftAgreement($input: DraftAgreementInput!) {
    draftAgreement(input: $input) {
      __typename
      ... on DraftAgreementSuccess { agreement { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const PREVIEW = graphql(`
  query AgreementPreview($input: DraftAgreementInput!) {
    agreementPreview(input: $input) {
      __typename
      ... on AgreementPreviewSuccess { pdfBase64 }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

interface DraftValues {
  facts?: string;
  issues?: string;
  term?: string;
  amount?: number | null;
  obligor?: string;
  method?: string;
  deadline?: { format(f: string): string } | null;
}

function inputOf(caseId: string, v: DraftValues) {
  return {
    caseId,
    facts: v.facts ?? '',
    issues: v.issues ?? '',
    terms: [{ text: v.term ?? '', amount: v.amount != null ? v.amount.toFixed(2) : null, obligorPartyId: v.obligor ?? null, dueDate: v.amount != null && v.deadline ? v.deadline.format('YYYY-MM-DD') : null }],
    performanceMethod: v.method ?? '',
    performanceDeadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : '',
  };
}

const complete = (v: DraftValues) => Boolean(v.facts?.trim() && v.issues?.trim() && v.term?.trim() && v.method?.trim() && v.deadline);

/**
 * Drafting the agreement with its PDF beside the form: 预览 renders what 生成协议 would produce
 * (marked 草稿, nothing stored), and once open the preview follows the form as it is edited.
 */
export function DraftAgreementCard({ c, act }: { c: CaseData; act: (f: () => Promise<unknown>, ok: string) => Promise<boolean> }) {
  const [form] = Form.useForm<DraftValues>();
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
    setUrl((old) => {
      if (old) URL.revokeObjectURL(old);
      return null;
    });
  }, []);

  const inFlight = useRef(false);
  const again = useRef(false);

  async function preview() {
    // One render at a time (the server refuses a second): an edit meanwhile redraws once after it.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const v = form.getFieldsValue();
    if (!complete(v)) {
      setProblem('填写纠纷事实、争议事项、协议条款、履行方式和履行期限后即可预览。');
      return;
    }
    const mine = ++seq.current;
    inFlight.current = true;
    setBusy(true);
    try {
      const r = unwrap((await request(PREVIEW, { input: inputOf(c.id, v) })).agreementPreview);
      if (mine !== seq.current || r.__typename !== 'AgreementPreviewSuccess') return;
      const bytes = Uint8Array.from(atob(r.pdfBase64), (ch) => ch.charCodeAt(0));
      const next = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      setUrl((old) => {
        if (old) URL.revokeObjectURL(old);
        return next;
      });
      setProblem(null);
    } catch (e) {
      if (mine === seq.current) setProblem((e as Error).message);
    } finally {
      inFlight.current = false;
      if (mine === seq.current) setBusy(false);
      if (again.current) {
        again.current = false;
        void preview();
      }
    }
  }

  // Live: while the preview is open, an edit redraws it a moment after typing stops.
  function edited() {
    if (!url) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void preview(), 1200);
  }

  return (
    <Card size="small" title="起草调解协议" style={{ marginBottom: 12 }}>
      <Form
        form={form}
        layout="vertical"
        onValuesChange={edited}
        onFinish={(v: DraftValues) => act(async () => unwrap((await request(DRAFT, { input: inputOf(c.id, v) })).draftAgreement), '协议已起草，等待各方签字')}
      >
        <Form.Item label="纠纷事实" name="facts" rules={[{ required: true, message: '请填写' }]}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item label="争议事项" name="issues" rules={[{ required: true, message: '请填写' }]}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item label="协议条款" name="term" rules={[{ required: true, message: '请填写' }]}><Input.TextArea rows={2} /></Form.Item>
        <Space wrap>
          <Form.Item label="金额（元）" name="amount"><InputNumber min={0} precision={2} /></Form.Item>
          <Form.Item label="履行义务人" name="obligor">
            <Select allowClear style={{ width: 160 }} options={c.parties.map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item label="履行期限" name="deadline" rules={[{ required: true, message: '请选择' }]}><DatePicker /></Form.Item>
        </Space>
        <Form.Item label="履行方式" name="method" rules={[{ required: true, message: '请填写' }]}><Input /></Form.Item>
        <Space>
          <Button onClick={() => void preview()} loading={busy}>{url ? '刷新预览' : '预览协议'}</Button>
          <Button type="primary" htmlType="submit">生成协议</Button>
        </Space>
      </Form>
      {problem && <Alert style={{ marginTop: 12 }} type="warning" title={problem} role="status" />}
      {url && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">预览（草稿，未保存；修改上面的内容后自动更新）</Typography.Text>
          <iframe title="协议预览（草稿）" src={url} style={{ display: 'block', width: '100%', height: '70vh', border: '1px solid #ddd', marginTop: 4 }} />
        </div>
      )}
    </Card>
  );
}
