import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Tabs, Typography } from 'antd';
import { graphql, request, unwrap } from '../graphql';
import { Link, navigate } from '../router';
import { homeOf, useSession } from '../session';

const REQUEST_CODE = graphql(`
  mutation RequestPhoneCode($input: RequestPhoneCodeInput!) {
    requestPhoneCode(input: $input) {
      __typename
      ... on RequestPhoneCodeSuccess { expiresAt }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { token }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const LOGIN_CODE = graphql(`
  mutation LoginWithPhoneCode($input: LoginWithPhoneCodeInput!) {
    loginWithPhoneCode(input: $input) {
      __typename
      ... on LoginWithPhoneCodeSuccess { token }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      __typename
      ... on RegisterSuccess { token }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);
const RESET = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      __typename
      ... on ResetPasswordSuccess { user { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`);

type Purpose = 'REGISTER' | 'LOGIN' | 'RESET_PASSWORD';

/** "获取验证码" with a one-minute wait between sends (the server allows one per minute). */
function CodeButton({ phone, purpose }: { phone: () => string; purpose: Purpose }) {
  const { message } = App.useApp();
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);
  return (
    <Button
      disabled={wait > 0}
      loading={busy}
      onClick={async () => {
        const p = phone().trim();
        if (!/^1\d{10}$/.test(p)) return void message.error('请先填写11位手机号');
        setBusy(true);
        try {
          unwrap((await request(REQUEST_CODE, { input: { phone: p, purpose } })).requestPhoneCode);
          message.success('验证码已发送，请查看短信');
          setWait(60);
        } catch (e) {
          message.error((e as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
    </Button>
  );
}

const phoneRule = [{ required: true, pattern: /^1\d{10}$/, message: '请输入11位手机号' }];

function useSubmit() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function LoginPage() {
  const { signIn } = useSession();
  const [form] = Form.useForm();
  const { error, busy, run } = useSubmit();
  const done = async (token: string) => {
    const me = await signIn(token);
    navigate(homeOf(me?.role, me?.organization));
  };
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.3rem' }}>登录解纷</h1>}>
      <Typography.Paragraph type="secondary">有了矛盾纠纷，在手机上申请调解，不用来回跑。</Typography.Paragraph>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} role="alert" />}
      <Tabs
        items={[
          {
            key: 'password',
            label: '密码登录',
            children: (
              <Form layout="vertical" onFinish={(v: { phone: string; password: string }) => run(async () => {
                const r = unwrap((await request(LOGIN, { input: { phone: v.phone, password: v.password } })).login);
                if (r.__typename === 'LoginSuccess') await done(r.token);
              })}>
                <Form.Item label="手机号" name="phone" rules={phoneRule}>
                  <Input inputMode="numeric" autoComplete="tel" maxLength={11} />
                </Form.Item>
                <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>登录</Button>
              </Form>
            ),
          },
          {
            key: 'code',
            label: '验证码登录',
            children: (
              <Form form={form} layout="vertical" onFinish={(v: { phone: string; code: string }) => run(async () => {
                const r = unwrap((await request(LOGIN_CODE, { input: { phone: v.phone, phoneCode: v.code } })).loginWithPhoneCode);
                if (r.__typename === 'LoginWithPhoneCodeSuccess') await done(r.token);
              })}>
                <Form.Item label="手机号" name="phone" rules={phoneRule}>
                  <Input inputMode="numeric" autoComplete="tel" maxLength={11} />
                </Form.Item>
                <Form.Item label="短信验证码" required>
                  <Space.Compact style={{ width: '100%' }}>
                    <Form.Item name="code" noStyle rules={[{ required: true, message: '请输入验证码' }]}>
                      <Input inputMode="numeric" maxLength={6} aria-label="短信验证码" autoComplete="one-time-code" />
                    </Form.Item>
                    <CodeButton phone={() => form.getFieldValue('phone') ?? ''} purpose="LOGIN" />
                  </Space.Compact>
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>登录</Button>
              </Form>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 16 }} size="large">
        <Link to="/register">注册新账户</Link>
        <Link to="/reset">忘记密码</Link>
      </Space>
    </Card>
  );
}

export function RegisterPage() {
  const { signIn } = useSession();
  const [form] = Form.useForm();
  const { error, busy, run } = useSubmit();
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.3rem' }}>注册</h1>}>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" onFinish={(v: { phone: string; code: string; name: string; password: string; idNumber?: string; address?: string; ethnicity?: string; occupation?: string }) => run(async () => {
        const r = unwrap((await request(REGISTER, { input: { phone: v.phone, phoneCode: v.code, name: v.name, password: v.password, idNumber: v.idNumber || null, address: v.address || null, ethnicity: v.ethnicity || null, occupation: v.occupation || null } })).register);
        if (r.__typename === 'RegisterSuccess') {
          const me = await signIn(r.token);
          navigate(homeOf(me?.role, me?.organization));
        }
      })}>
        <Form.Item label="姓名" name="name" rules={[{ required: true, message: '请输入姓名' }]} extra="请填写身份证上的姓名，调解协议上会用到。">
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item label="手机号" name="phone" rules={phoneRule}>
          <Input inputMode="numeric" autoComplete="tel" maxLength={11} />
        </Form.Item>
        <Form.Item label="短信验证码" required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="code" noStyle rules={[{ required: true, message: '请输入验证码' }]}>
              <Input inputMode="numeric" maxLength={6} aria-label="短信验证码" autoComplete="one-time-code" />
            </Form.Item>
            <CodeButton phone={() => form.getFieldValue('phone') ?? ''} purpose="REGISTER" />
          </Space.Compact>
        </Form.Item>
        <Form.Item label="身份证号" name="idNumber" extra="调解协议上要写明当事人的身份证号和住所，可以现在填，也可以签协议前补。">
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item label="住所（户籍地址）" name="address">
          <Input autoComplete="street-address" />
        </Form.Item>
        <Form.Item label="民族" name="ethnicity" extra="如：汉族、白族、彝族。调解协议上要写明。">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="职业" name="occupation" extra="如：农民、个体经营。调解协议上要写明。">
          <Input autoComplete="organization-title" />
        </Form.Item>
        <Form.Item label="设置密码" name="password" rules={[{ required: true, min: 8, message: '密码至少8位' }]} extra="签署调解协议时需要再次输入密码。">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>注册并登录</Button>
      </Form>
      <p style={{ marginTop: 16 }}><Link to="/login">已有账户，去登录</Link></p>
    </Card>
  );
}

export function ResetPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { error, busy, run } = useSubmit();
  return (
    <Card title={<h1 style={{ margin: 0, fontSize: '1.3rem' }}>重设密码</h1>}>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" onFinish={(v: { phone: string; code: string; password: string }) => run(async () => {
        unwrap((await request(RESET, { input: { phone: v.phone, phoneCode: v.code, newPassword: v.password } })).resetPassword);
        message.success('密码已重设，请用新密码登录');
        navigate('/login');
      })}>
        <Form.Item label="手机号" name="phone" rules={phoneRule}>
          <Input inputMode="numeric" autoComplete="tel" maxLength={11} />
        </Form.Item>
        <Form.Item label="短信验证码" required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="code" noStyle rules={[{ required: true, message: '请输入验证码' }]}>
              <Input inputMode="numeric" maxLength={6} aria-label="短信验证码" autoComplete="one-time-code" />
            </Form.Item>
            <CodeButton phone={() => form.getFieldValue('phone') ?? ''} purpose="RESET_PASSWORD" />
          </Space.Compact>
        </Form.Item>
        <Form.Item label="新密码" name="password" rules={[{ required: true, min: 8, message: '密码至少8位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>重设密码</Button>
      </Form>
      <p style={{ marginTop: 16 }}><Link to="/login">返回登录</Link></p>
    </Card>
  );
}
