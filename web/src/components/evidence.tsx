import { useEffect, useState } from 'react';
import { App, Card, Input, List, Radio, Space, Tag, Typography } from 'antd';
import type { CaseData } from '../case-query';
import { errorText, fetchFile, RequestError, tokenStore } from '../graphql';
import { when } from '../labels';

/** The statuses in which the server takes new evidence (server/domain/evidence/upload-evidence.ts). */
export const EVIDENCE_OPEN = ['SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING'];

/** What the upload route answers on failure. */
interface UploadError { error?: string; code?: string; fields?: { field: string; message: string }[] }

const UPLOAD_CODES: Record<string, string> = {
  '413': '照片太大了，请换一张或压缩后再传',
  '415': '只能上传照片（JPG、PNG）、PDF、录音或视频',
};

/** Sends one file to `POST /cases/:id/evidence` (multipart: file, title, description, visibility). */
export async function uploadEvidence(caseId: string, file: File, title: string, visibility: 'SHARED' | 'MEDIATOR_ONLY', description?: string): Promise<void> {
  const form = new FormData();
  form.append('title', title);
  if (description) form.append('description', description);
  form.append('visibility', visibility);
  form.append('file', file, file.name || 'photo.jpg');
  const token = tokenStore.get();
  const res = await fetch(`/cases/${encodeURIComponent(caseId)}/evidence`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  if (res.ok) return;
  const body = (await res.json().catch(() => ({}))) as UploadError;
  const known = UPLOAD_CODES[String(res.status)];
  throw new RequestError(known ?? errorText(body.code ?? 'ERROR', body.error ?? ''), body.code ?? String(res.status));
}

/** A thumbnail of a photo the API hands out (fetched with the session token, shown from memory). */
function Thumb({ url, alt }: { url: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let gone = false;
    let made: string | null = null;
    fetchFile(url).then((b) => {
      if (gone) return;
      made = URL.createObjectURL(b);
      setSrc(made);
    }, () => undefined);
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return src ? <img src={src} alt={alt} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4, border: '1px solid #e5e5e5' }} /> : <div style={{ width: 72, height: 72, background: '#f0f0f0', borderRadius: 4 }} aria-hidden />;
}

/**
 * A camera button: on a phone it opens the back camera (capture="environment"), elsewhere the file
 * picker. The input itself carries the accessible name; the label is what people tap.
 */
export function CameraInput({ label, onFiles, multiple }: { label: string; onFiles: (files: File[]) => void; multiple?: boolean }) {
  const id = `camera-${label}`;
  return (
    <label htmlFor={id} style={{ display: 'inline-block' }}>
      <span style={{ cursor: 'pointer', display: 'inline-flex', alignItems: 'center', padding: '0 16px', height: 40, border: '1px solid #1f6f5c', borderRadius: 6, background: '#fff', color: '#1f6f5c', fontWeight: 500 }}>
        {label}
      </span>
      <input
        id={id}
        type="file"
        accept="image/*"
        capture="environment"
        multiple={multiple}
        aria-label={label}
        style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </label>
  );
}

/** The case's evidence, and (while the case takes evidence) photos taken with the phone's camera. */
export function EvidenceCard({ c, onChanged, canUpload }: { c: CaseData; onChanged: () => Promise<void>; canUpload: boolean }) {
  const { message } = App.useApp();
  const [title, setTitle] = useState('');
  const [visibility, setVisibility] = useState<'SHARED' | 'MEDIATOR_ONLY'>('SHARED');
  const [busy, setBusy] = useState(false);
  const open = canUpload && EVIDENCE_OPEN.includes(c.status);
  const items = c.evidence;
  return (
    <Card size="small" title="证据材料" style={{ marginBottom: 12 }}>
      {items.length === 0 ? (
        <Typography.Text type="secondary">还没有证据材料</Typography.Text>
      ) : (
        <List
          size="small"
          aria-label="证据列表"
          dataSource={items}
          renderItem={(e) => (
            <List.Item>
              <Space align="start">
                {e.contentType.startsWith('image/') && !e.withdrawnAt ? <Thumb url={e.downloadUrl} alt={`证据照片：${e.title}`} /> : null}
                <div>
                  <strong>{e.title}</strong>{' '}
                  {e.visibility === 'MEDIATOR_ONLY' && <Tag>仅调解员可见</Tag>}
                  {e.withdrawnAt && <Tag color="default">已撤回</Tag>}
                  <div>
                    <Typography.Text type="secondary">
                      {e.uploadedByMe ? '我' : e.uploaderName}于{when(e.uploadedAt)}上传 · {Math.max(1, Math.round(e.size / 1024))} KB
                    </Typography.Text>
                  </div>
                </div>
              </Space>
            </List.Item>
          )}
        />
      )}
      {open && (
        <div style={{ marginTop: 12 }}>
          <Input aria-label="照片说明" placeholder="这张照片拍的是什么（例如：越界的围墙）" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} style={{ marginBottom: 8 }} />
          <Radio.Group aria-label="谁能看到" value={visibility} onChange={(e) => setVisibility(e.target.value as 'SHARED' | 'MEDIATOR_ONLY')} style={{ marginBottom: 8 }}
            options={[{ value: 'SHARED', label: '各方都能看' }, { value: 'MEDIATOR_ONLY', label: '只给调解员看' }]} />
          <div>
            <CameraInput
              label={busy ? '正在上传…' : '拍照上传证据'}
              multiple
              onFiles={async (files) => {
                setBusy(true);
                try {
                  for (const [i, f] of files.entries()) {
                    await uploadEvidence(c.id, f, (title.trim() || '现场照片') + (files.length > 1 ? `（${i + 1}）` : ''), visibility);
                  }
                  message.success(`已上传 ${files.length} 张照片`);
                  setTitle('');
                  await onChanged();
                } catch (e) {
                  message.error((e as Error).message);
                } finally {
                  setBusy(false);
                }
              }}
            />
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            手机上会直接打开相机。上传后不能修改，只能撤回；照片会附在案卷里。
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}
