import { useState } from 'react';
import { Alert, App, Button, Cascader, Form, Input, InputNumber, Select, type FormInstance } from 'antd';
import { errorText, graphql, request, RequestError } from '../../graphql';
import { CATEGORY } from '../../labels';
import { CHANNEL, LANGUAGE, ORG_KIND, STAFF_ROLE } from './staff-labels';
import { useStaffRegion } from './common';

const CREATE_ORGANIZATION = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      __typename
      ... on CreateOrganizationSuccess { organization { id name } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CREATE_MEDIATOR = graphql(`
  mutation CreateMediator($input: CreateMediatorInput!) {
    createMediator(input: $input) {
      __typename
      ... on CreateMediatorSuccess { mediator { id name } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CREATE_STAFF = graphql(`
  mutation CreateStaffAccount($input: CreateStaffAccountInput!) {
    createStaffAccount(input: $input) {
      __typename
      ... on CreateStaffAccountSuccess { user { id name role } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const CHILD_REGIONS = graphql(`
  query RosterRegions($parentCode: String!) { regions(parentCode: $parentCode) { code name level } }
`);

const categoryOptions = Object.entries(CATEGORY).map(([value, c]) => ({ value, label: c.name }));
const phoneRule = { pattern: /^1[3-9]\d{9}$/, message: '请输入11位手机号' };
const passwordRules = [{ required: true, message: '请设置初始密码' }, { min: 8, message: '至少8位' }];

/** The inputs of these forms, named as the server names them in a ValidationError. */
const FIELD: Record<string, { item: string; label: string }> = {
  name: { item: 'name', label: '名称' },
  kind: { item: 'kind', label: '组织类型' },
  regionCode: { item: 'region', label: '所在地区' },
  shortName: { item: 'shortName', label: '简称' },
  courtCode: { item: 'region', label: '法院代码' },
  categories: { item: 'categories', label: '纠纷类别' },
  phone: { item: 'phone', label: '手机号' },
  password: { item: 'password', label: '密码' },
  channel: { item: 'channel', label: '调解类别' },
  languages: { item: 'languages', label: '语言' },
  capacity: { item: 'capacity', label: '同时办理案件数' },
  title: { item: 'title', label: '职务' },
  role: { item: 'role', label: '账号角色' },
};
/** The server's reasons (server/domain/organizations/*, auth/fields.ts, auth/passwords.ts) in Chinese. */
const REASON: [RegExp, string][] = [
  [/already registered/, '已被注册'],
  [/at least 8 characters/, '至少要8位'],
  [/letters and digits/, '须同时包含字母和数字'],
  [/too common|too easy/, '太常见、容易被猜到，请换一个'],
  [/mainland mobile number/, '须是11位手机号'],
  [/already exists in this region/, '在本地区已有同名组织'],
  [/used by another organisation/, '已被其他组织使用'],
  [/court sits at county/, '不对：人民法院只能设在县级或市级'],
  [/prefecture, county, township or village/, '须是市、县、乡镇或村'],
  [/^must be [A-Z_]+ for a/, '与本组织的调解类别不符'],
  [/too long/, '太长'],
  [/is required/, '不能为空'],
];
const reason = (m: string) => REASON.find(([re]) => re.test(m))?.[1] ?? `有误（${m}）`;

type Result = { __typename?: string; code?: string; message?: string; fields?: readonly { field: string; message: string }[] | null };

/**
 * The success branch of a mutation result. A typed error is thrown in Chinese; a ValidationError's
 * fields are also marked on the inputs they concern.
 */
function checked<T extends object>(result: T, form: FormInstance): Exclude<T, { code: unknown }> {
  const r = result as Result;
  if (typeof r.code !== 'string') return result as Exclude<T, { code: unknown }>;
  const fields = r.fields ?? [];
  if (r.__typename === 'ValidationError' && fields.length > 0) {
    form.setFields(fields.filter((f) => FIELD[f.field]).map((f) => ({ name: FIELD[f.field]!.item, errors: [`${FIELD[f.field]!.label}${reason(f.message)}`] })));
    throw new RequestError(`填写的内容有误：${fields.map((f) => `${FIELD[f.field]?.label ?? f.field}${reason(f.message)}`).join('；')}`, r.code);
  }
  throw new RequestError(errorText(r.code, r.message ?? ''), r.code);
}

/** Submits one form: the server's typed error is shown above the buttons, success is announced. */
function useSubmit(onDone: () => void) {
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(run: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      void message.success(await run());
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, submit };
}

interface RegionOption { value: string; label: string; isLeaf?: boolean; children?: RegionOption[] }

/** The division of a new organisation: the viewer's own division and below, loaded a level at a time. */
function DivisionPicker({ id, value, onChange }: { id?: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const { options } = useStaffRegion();
  const home = options[0];
  const [tree, setTree] = useState<RegionOption[] | null>(null);
  const roots = tree ?? (home ? [{ value: home.code, label: home.name, isLeaf: false }] : []);
  return (
    <Cascader
      id={id}
      options={roots}
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      changeOnSelect
      placeholder="县 / 乡镇 / 村"
      loadData={async (selected) => {
        const target = selected[selected.length - 1] as RegionOption;
        const d = await request(CHILD_REGIONS, { parentCode: target.value });
        target.children = d.regions.map((r) => ({ value: r.code, label: r.name, isLeaf: r.level === 'VILLAGE' }));
        if (!target.children.length) target.isLeaf = true;
        setTree([...roots]);
      }}
    />
  );
}

/** 新增组织 (platform admins): name, kind and division; the rest can be filled in later. */
export function CreateOrganizationForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { error, busy, submit } = useSubmit(onDone);
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      name="create-organization"
      layout="vertical"
      onFinish={(v: { name: string; kind: string; region: string[]; categories?: string[]; shortName?: string; phone?: string; address?: string }) =>
        submit(async () => {
          const r = checked((await request(CREATE_ORGANIZATION, {
            input: {
              name: v.name.trim(),
              kind: v.kind as 'COURT',
              regionCode: v.region[v.region.length - 1]!,
              categories: (v.categories ?? []) as 'OTHER'[],
              shortName: v.shortName?.trim() || null,
              phone: v.phone?.trim() || null,
              address: v.address?.trim() || null,
            },
          })).createOrganization, form);
          return `已新增组织：${r.organization.name}`;
        })
      }
    >
      <Form.Item label="组织名称" name="name" rules={[{ required: true, message: '请填写组织名称' }, { min: 2, message: '至少2个字' }]}>
        <Input maxLength={100} placeholder="例如：宾川县金牛镇人民调解委员会" />
      </Form.Item>
      <Form.Item label="组织类型" name="kind" rules={[{ required: true, message: '请选择组织类型' }]}>
        <Select options={Object.entries(ORG_KIND).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item label="所在地区" name="region" rules={[{ required: true, message: '请选择所在地区' }]} extra="人民法院只能设在县级或市级">
        <DivisionPicker />
      </Form.Item>
      <Form.Item label="受理的纠纷类别" name="categories">
        <Select mode="multiple" allowClear options={categoryOptions} />
      </Form.Item>
      <Form.Item label="简称" name="shortName" extra="用于案号，如“金牛”：（2026）金牛调字第1号；不填则按名称生成">
        <Input maxLength={12} />
      </Form.Item>
      <Form.Item label="联系电话" name="phone"><Input maxLength={30} /></Form.Item>
      <Form.Item label="地址" name="address"><Input maxLength={300} /></Form.Item>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={busy}>保存组织</Button>
      <Button style={{ marginLeft: 8 }} onClick={onCancel}>取消</Button>
    </Form>
  );
}

interface OrgForForms { id: string; name: string; kind: string; channel: string; categories: readonly string[] }

/** 新增调解员 for one organisation: an account to log in with, and the roster entry. */
export function CreateMediatorForm({ org, onDone, onCancel }: { org: OrgForForms; onDone: () => void; onCancel: () => void }) {
  const { error, busy, submit } = useSubmit(onDone);
  const [form] = Form.useForm();
  // A 综治中心 hosts every kind of mediation; elsewhere the organisation's kind fixes it.
  const channels = org.kind === 'COMPREHENSIVE_CENTER' ? Object.keys(CHANNEL) : [org.channel];
  return (
    <Form
      form={form}
      name={`create-mediator-${org.id}`}
      layout="vertical"
      initialValues={{ channel: org.channel, languages: ['zh'], capacity: 10, categories: org.categories }}
      onFinish={(v: { name: string; phone: string; password: string; channel: string; title?: string; categories?: string[]; languages?: string[]; capacity?: number }) =>
        submit(async () => {
          const r = checked((await request(CREATE_MEDIATOR, {
            input: {
              organizationId: org.id,
              name: v.name.trim(),
              phone: v.phone.trim(),
              password: v.password,
              channel: v.channel as 'PEOPLES',
              title: v.title?.trim() || null,
              categories: (v.categories ?? []) as 'OTHER'[],
              languages: v.languages ?? ['zh'],
              capacity: v.capacity ?? null,
            },
          })).createMediator, form);
          return `已新增调解员：${r.mediator.name}`;
        })
      }
    >
      <Form.Item label="调解员姓名" name="name" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item>
      <Form.Item label="调解员手机号" name="phone" rules={[{ required: true, message: '请填写手机号' }, phoneRule]} extra="用于登录"><Input inputMode="numeric" maxLength={11} /></Form.Item>
      <Form.Item label="初始密码" name="password" rules={passwordRules} extra="请当面告知本人，首次登录后修改"><Input.Password autoComplete="new-password" /></Form.Item>
      <Form.Item label="调解类别" name="channel" rules={[{ required: true, message: '请选择调解类别' }]}>
        <Select options={channels.map((c) => ({ value: c, label: CHANNEL[c] ?? c }))} />
      </Form.Item>
      <Form.Item label="职务" name="title"><Input maxLength={100} placeholder="例如：专职人民调解员" /></Form.Item>
      <Form.Item label="擅长的纠纷类别" name="categories"><Select mode="multiple" allowClear options={categoryOptions} /></Form.Item>
      <Form.Item label="会说的语言" name="languages"><Select mode="multiple" options={Object.entries(LANGUAGE).map(([value, label]) => ({ value, label }))} /></Form.Item>
      <Form.Item label="同时办理案件数" name="capacity"><InputNumber min={1} max={200} /></Form.Item>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={busy}>保存调解员</Button>
      <Button style={{ marginLeft: 8 }} onClick={onCancel}>取消</Button>
    </Form>
  );
}

/** 新增工作人员账号: an organisation admin or a grid worker of one organisation. */
export function CreateStaffAccountForm({ org, onDone, onCancel }: { org: OrgForForms; onDone: () => void; onCancel: () => void }) {
  const { error, busy, submit } = useSubmit(onDone);
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      name={`create-staff-${org.id}`}
      layout="vertical"
      onFinish={(v: { name: string; phone: string; password: string; role: string }) =>
        submit(async () => {
          const r = checked((await request(CREATE_STAFF, {
            input: { organizationId: org.id, name: v.name.trim(), phone: v.phone.trim(), password: v.password, role: v.role as 'ORG_ADMIN' },
          })).createStaffAccount, form);
          return `已新增${STAFF_ROLE[r.user.role] ?? ''}账号：${r.user.name}`;
        })
      }
    >
      <Form.Item label="账号角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
        <Select options={Object.entries(STAFF_ROLE).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item label="工作人员姓名" name="name" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item>
      <Form.Item label="工作人员手机号" name="phone" rules={[{ required: true, message: '请填写手机号' }, phoneRule]} extra="用于登录"><Input inputMode="numeric" maxLength={11} /></Form.Item>
      <Form.Item label="账号初始密码" name="password" rules={passwordRules}><Input.Password autoComplete="new-password" /></Form.Item>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={busy}>保存账号</Button>
      <Button style={{ marginLeft: 8 }} onClick={onCancel}>取消</Button>
    </Form>
  );
}
