/**
 * Bar charts drawn with HTML and CSS: text grows with the page's text size, no chart library is
 * downloaded, and each chart carries its figures as text for screen readers.
 */
const FILED = '#1f6f5c';
const SETTLED = '#7fb8a4';

export function BarList({ label, items }: { label: string; items: { label: string; value: number }[] }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  if (!items.length) return <p>这段时间没有数据。</p>;
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((i) => (
          <li key={i.label} style={{ display: 'grid', gridTemplateColumns: '7em 1fr 3em', alignItems: 'center', gap: 8, margin: '4px 0' }}>
            <span>{i.label}</span>
            <span aria-hidden="true" style={{ display: 'block', height: '1.1em', width: `${(i.value / max) * 100}%`, minWidth: i.value ? 3 : 0, background: FILED, borderRadius: 3 }} />
            <span style={{ textAlign: 'right' }}>{i.value}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export function MonthBars({ label, months }: { label: string; months: { label: string; filed: number; settled: number }[] }) {
  const max = Math.max(1, ...months.flatMap((m) => [m.filed, m.settled]));
  if (!months.length) return <p>这段时间没有数据。</p>;
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 16, height: '12em', borderBottom: '1px solid #999', padding: '0 4px' }}>
        {months.map((m) => (
          <div key={m.label} style={{ flex: 1, display: 'flex', alignItems: 'flex-end', justifyContent: 'center', gap: 3, height: '100%' }}>
            {([['受理', m.filed, FILED], ['调解成功', m.settled, SETTLED]] as const).map(([name, v, color]) => (
              <div key={name} style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'flex-end', height: '100%', width: '40%' }}>
                <span style={{ fontSize: '0.85em' }}>{v}</span>
                <span aria-hidden="true" style={{ display: 'block', width: '100%', height: `${(v / max) * 80}%`, minHeight: v ? 3 : 0, background: color, borderRadius: '3px 3px 0 0' }} />
              </div>
            ))}
          </div>
        ))}
      </div>
      <div style={{ display: 'flex', gap: 16, padding: '4px 4px 0' }}>
        {months.map((m) => (
          <span key={m.label} style={{ flex: 1, textAlign: 'center', fontSize: '0.85em' }}>{m.label}</span>
        ))}
      </div>
      <figcaption style={{ marginTop: 8, fontSize: '0.9em' }}>
        <span style={{ display: 'inline-block', width: '0.9em', height: '0.9em', background: FILED, marginRight: 4, verticalAlign: 'middle' }} aria-hidden="true" />受理
        <span style={{ display: 'inline-block', width: '0.9em', height: '0.9em', background: SETTLED, margin: '0 4px 0 16px', verticalAlign: 'middle' }} aria-hidden="true" />调解成功
      </figcaption>
    </figure>
  );
}
