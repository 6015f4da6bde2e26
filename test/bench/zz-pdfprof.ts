import { renderAgreementPdf } from '../../server/pdf/render-agreement';
import { compactAgreement } from '../fixtures/pdf/sample-agreement';
const v = (i: number) => compactAgreement({ number: `宾川人调字〔2026〕第${i + 1}号`, caseNumber: `JF-532924-2026-${String(i + 1).padStart(6, '0')}`, verification: { code: `JF${i.toString(36).toUpperCase().padStart(4, '0')}-Q2M9`, url: `https://jiefen.example.cn/v/JF${i}` } });
await renderAgreementPdf(v(0));
const t: number[] = []; let bytes = 0;
for (let i = 1; i < Number(process.env.N ?? 300); i++) { const t0 = performance.now(); bytes = (await renderAgreementPdf(v(i))).length; t.push(performance.now() - t0); }
t.sort((a, b) => a - b); console.log('median', t[t.length >> 1]!.toFixed(1), 'p95', t[Math.floor(t.length * 0.95)]!.toFixed(1), 'bytes', bytes);
