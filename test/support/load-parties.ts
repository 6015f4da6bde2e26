import bcrypt from 'bcrypt';
import postgres from 'postgres';

/** The password of every party `insertLoadParties` writes. */
export const LOAD_PASSWORD = 'Load2026test';

/**
 * `count` parties of the demo village written straight into the database at `url` (for the load
 * test and the benchmarks, where reading is measured, not registration), each with LOAD_PASSWORD.
 */
export async function insertLoadParties(url: string, count: number): Promise<{ phone: string; name: string }[]> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const hash = await bcrypt.hash(LOAD_PASSWORD, 4);
    const rows = Array.from({ length: count }, (_, i) => ({
      phone: `177${String(10_000_000 + i).slice(-8)}`,
      name: `负载测试${String.fromCharCode(0x4e00 + i)}${String.fromCharCode(0x4e50 + i)}`,
      password_hash: hash,
      role: 'PARTY',
      phone_verified_at: new Date(),
      address: '云南省大理白族自治州宾川县金牛镇圭山村',
      ethnicity: '汉族',
      occupation: '农民',
      created_at: new Date(),
      updated_at: new Date(),
    }));
    await db`insert into users ${db(rows)}`;
    return rows.map((r) => ({ phone: r.phone, name: r.name }));
  } finally {
    await db.end();
  }
}
