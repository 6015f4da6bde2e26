import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Cascader, Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { CameraInput, uploadEvidence } from '../components/evidence';
import { graphql, request, unwrap } from '../graphql';
import { CATEGORY } from '../labels';
import { navigate } from '../router';

const REGIONS = graphql(`
  query Regions($parentCode: String) { regions(parentCode: $parentCode) { code name level } }
`);
const FILE = graphql(`
  mutation FileDispute($input: FileDisputeInput!) {
    fileDispute(input: $input) {
      __typename
      ... on FileDisputeSuccess { case { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

interface Option { value: string; label: string; isLeaf?: boolean; children?: Option[]; loading?: boolean }

/** Loads the region tree one level at a time, down to the village. */
function RegionPicker({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const [options, setOptions] = useState<Option[] | null>(null);
  if (options === null) {
    void request(REGIONS, { parentCode: null }).then((d) => setOptions(d.regions.map((r) => ({ value: r.code, label: r.name, isLeaf: false }))));
  }
  return (
    <Cascader
      aria-label="纠纷发生地"
      options={options ?? []}
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      changeOnSelect
      placeholder="省 / 市 / 县 / 乡镇 / 村"
      loadData={async (selected) => {
        const target = selected[selected.length - 1] as Option;
        const d = await request(REGIONS, { parentCode: target.value });
        target.children = d.regions.map((r) => ({ value: r.code, label: r.name, isLeaf: r.level === 'VILLAGE' }));
        if (!target.children.length) target.isLeaf = true;
        setOptions([...(options ?? [])]);
      }}
    />
  );
}

interface Values {
  category: string;
  title: string;
  description: string;
  region: string[];
  respondents: { name: string; phone: string }[];
  claims?: string;
  amount?: number;
}

/** Photos taken before the case exists: kept in the page, uploaded right after filing. */
function PhotoPicker({ photos, setPhotos }: { photos: File[]; setPhotos: (f: File[]) => void }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const made = photos.map((p) => URL.createObjectURL(p));
    setUrls(made);
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [photos]);
  return (
    <div>
      {photos.length > 0 && (
        <ul aria-label="已选的照片" style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {photos.map((p, i) => (
            <li key={`${p.name}-${i}`} style={{ textAlign: 'center' }}>
              {urls[i] && <img src={urls[i]} alt={`照片 ${i + 1}`} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4, display: 'block' }} />}
              <Button size="small" type="link" aria-label={`删除照片 ${i + 1}`} onClick={() => setPhotos(photos.filter((_, k) => k !== i))}>删除</Button>
            </li>
          ))}
        </ul>
      )}
      <CameraInput label="拍照添加证据" multiple onFiles={(f) => setPhotos([...photos, ...f].slice(0, 9))} />
    </div>
  );
}

export default function FileDisputePage() {
  const { message } = App.useApp();
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const category = Form.useWatch('category', form);
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.2rem' }}>申请调解</h1>}>
      <Typography.Paragraph type="secondary">调解不收费。调解达成的协议签字后生效，还可以申请法院确认，确认后能申请强制执行。</Typography.Paragraph>
      {error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ respondents: [{ name: '', phone: '' }] }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const r = unwrap(
              (
                await request(FILE, {
                  input: {
                    category: v.category as 'OTHER',
                    title: v.title,
                    description: v.description,
                    regionCode: v.region[v.region.length - 1]!,
                    respondents: v.respondents.map((p) => ({ name: p.name, phone: p.phone })),
                    claims: v.claims || null,
                    amount: v.amount != null ? v.amount.toFixed(2) : null,
                  },
                })
              ).fileDispute,
            );
            if (r.__typename === 'FileDisputeSuccess') {
              // The case exists now: its photos go to the evidence route one by one.
              let failed = 0;
              for (const [i, p] of photos.entries()) {
                await uploadEvidence(r.case.id, p, `申请时拍摄的照片 ${i + 1}`, 'SHARED').catch(() => { failed += 1; });
              }
              if (failed) message.warning(`申请已提交，但有 ${failed} 张照片没有传上去，请在纠纷页面重新拍照上传`);
              navigate(`/cases/${r.case.id}`);
            }
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item label="纠纷类型" name="category" rules={[{ required: true, message: '请选择纠纷类型' }]}>
          <Radio.Group style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}>
            {Object.entries(CATEGORY).map(([k, c]) => (
              <Radio key={k} value={k}>{c.name}</Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {category && <Alert type="info" title={`${CATEGORY[category]?.name}：${CATEGORY[category]?.hint}`} style={{ marginBottom: 12 }} />}
        <Form.Item label="纠纷发生在哪里" name="region" rules={[{ required: true, message: '请选到村（社区）' }]} extra="一级一级选，选到村（社区），由当地调解组织就近调解。">
          <RegionPicker />
        </Form.Item>
        <Form.Item label="一句话说明纠纷" name="title" rules={[{ required: true, message: '请填写' }]}>
          <Input maxLength={60} placeholder="例如：邻居修房占了我家通道" />
        </Form.Item>
        <Form.Item label="事情经过" name="description" rules={[{ required: true, message: '请填写事情经过' }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Form.List name="respondents">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" title={`对方当事人 ${i + 1}`} style={{ marginBottom: 8 }}
                  extra={fields.length > 1 ? <Button size="small" onClick={() => remove(f.name)} aria-label={`删除对方当事人 ${i + 1}`}>删除</Button> : null}>
                  <Form.Item label="姓名或单位名称" name={[f.name, 'name']} rules={[{ required: true, message: '请填写对方姓名' }]}>
                    <Input />
                  </Form.Item>
                  <Form.Item label="对方手机号" name={[f.name, 'phone']} rules={[{ required: true, pattern: /^1\d{10}$/, message: '请输入11位手机号' }]} extra="用于通知对方参加调解。">
                    <Input inputMode="numeric" maxLength={11} />
                  </Form.Item>
                </Card>
              ))}
              <Button onClick={() => add({ name: '', phone: '' })} block style={{ marginBottom: 16 }}>再添加一位对方当事人</Button>
            </>
          )}
        </Form.List>
        <Form.Item label="您的要求" name="claims">
          <Input.TextArea rows={2} placeholder="例如：拆除占用通道的围墙" />
        </Form.Item>
        <Form.Item label="涉及金额（元，可不填）" name="amount">
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="现场照片（可不填）" extra="用手机拍下借条、现场等，提交申请时一并上传。">
          <PhotoPicker photos={photos} setPhotos={setPhotos} />
        </Form.Item>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>提交申请</Button>
        </Space>
      </Form>
    </Card>
  );
}
