import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Select } from 'antd';
import { fetchFile, graphql, request } from '../../graphql';
import { useSession } from '../../session';

const REGIONS = graphql(`
  query StaffRegions($code: String!) {
    region(code: $code) { code name level }
    regions(parentCode: $code) { code name level }
  }
`);

export interface RegionOption { code: string; name: string; level: string }

interface StaffRegion {
  /** The division the pages show (the viewer's, or one of its children). */
  region: RegionOption | null;
  /** The viewer's own division and the divisions directly below it. */
  options: RegionOption[];
  setRegion(code: string): void;
}

const Ctx = createContext<StaffRegion>({ region: null, options: [], setRegion() {} });

/** 宾川县 for a platform admin, who serves no division of their own. */
const PLATFORM_DEFAULT = '532924';

export function StaffRegionProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const home = me?.organization?.regionCode ?? PLATFORM_DEFAULT;
  const [options, setOptions] = useState<RegionOption[]>([]);
  const [code, setCode] = useState(home);
  useEffect(() => {
    void request(REGIONS, { code: home })
      .then((r) => setOptions([...(r.region ? [r.region] : []), ...r.regions]))
      .catch(() => setOptions([{ code: home, name: home, level: '' }]));
  }, [home]);
  const region = options.find((o) => o.code === code) ?? null;
  return <Ctx.Provider value={{ region, options, setRegion: setCode }}>{children}</Ctx.Provider>;
}

export const useStaffRegion = () => useContext(Ctx);

/** The name of a division among the viewer's options, else its code. */
export function useRegionName(): (code: string) => string {
  const { options } = useStaffRegion();
  return (code) => options.find((o) => o.code === code)?.name ?? code;
}

/** Chooses the division: the viewer's own or one directly below it. */
export function RegionPicker({ only }: { only?: (o: RegionOption) => boolean }) {
  const { region, options, setRegion } = useStaffRegion();
  const list = only ? options.filter(only) : options;
  return (
    <Select
      aria-label="选择辖区"
      style={{ minWidth: '12em' }}
      value={region?.code}
      onChange={setRegion}
      showSearch={{ optionFilterProp: 'label' }}
      options={list.map((o, i) => ({ value: o.code, label: i === 0 && o === options[0] ? `${o.name}（全辖区）` : o.name }))}
    />
  );
}

/** YYYY-MM of a date in China time. */
export function monthOf(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** YYYY-MM-DD of the first day, n months before the month of `d`. */
export function monthsBack(d: Date, n: number): string {
  const [y, m] = monthOf(d).split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 - n, 1));
  return t.toISOString().slice(0, 10);
}

/** Today (China time), YYYY-MM-DD. */
export function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Saves a file the API hands out (with the session token) under a name. */
export async function download(url: string, filename: string): Promise<void> {
  const blob = await fetchFile(url);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** A level heading inside a staff page. */
export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 style={{ margin: 0, fontSize: '1.3rem' }}>{children}</h1>;
}

/** A month among the last two years, named the Chinese way (2026年11月). */
export function MonthSelect({ value, onChange, label }: { value: string; onChange(v: string): void; label: string }) {
  const months = Array.from({ length: 24 }, (_, i) => monthsBack(new Date(), i).slice(0, 7));
  return (
    <Select
      aria-label={label}
      style={{ width: '9em' }}
      value={value}
      onChange={onChange}
      options={months.map((m) => ({ value: m, label: `${m.slice(0, 4)}年${Number(m.slice(5))}月` }))}
    />
  );
}
