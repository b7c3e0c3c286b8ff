/** Windows updates of the sample catalogue: monthly cumulative updates, .NET, SSUs, definitions, tools… */
import { msToNs, type CatalogueUpdate } from './catalogue-types.js';
import type { Prng } from './prng.js';

interface WindowsVersion {
  family: string;
  product: string;
  /** 2012 R2 receives "Security Monthly Quality Rollup"s instead of cumulative updates. */
  monthlyTitle: (month: string) => string;
}

const x64 = 'for x64-based Systems';

const versions: readonly WindowsVersion[] = [
  { family: 'ws2012r2', product: 'Windows Server 2012 R2', monthlyTitle: (m) => `${m} Security Monthly Quality Rollup for Windows Server 2012 R2 ${x64}` },
  { family: 'ws2016', product: 'Windows Server 2016', monthlyTitle: (m) => `${m} Cumulative Update for Windows Server 2016 ${x64}` },
  { family: 'ws2019', product: 'Windows Server 2019', monthlyTitle: (m) => `${m} Cumulative Update for Windows Server 2019 ${x64}` },
  { family: 'ws2022', product: 'Microsoft Server operating system-21H2', monthlyTitle: (m) => `${m} Cumulative Update for Microsoft server operating system version 21H2 ${x64}` },
];

/** Patch Tuesdays (second Tuesday, 17:00 UTC) of the three most recent months released at least two days before `end`. */
export function recentPatchTuesdays(end: Date): Date[] {
  const result: Date[] = [];
  let year = end.getUTCFullYear();
  let month = end.getUTCMonth();
  while (result.length < 3) {
    const day = secondTuesday(year, month);
    if (day.getTime() <= end.getTime() - 2 * 86_400_000) result.push(day);
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
  return result;
}

function secondTuesday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1, 17));
  const offset = (2 - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month, 1 + offset + 7, 17));
}

function monthLabel(day: Date): string {
  return `${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function windowsCatalogue(end: Date, rng: Prng): CatalogueUpdate[] {
  const tuesdays = recentPatchTuesdays(end);
  const kb = kbAllocator(rng);
  const definitionBuild = rng.int(400, 420);
  return versions.flatMap((version) => versionUpdates(version, tuesdays, kb, definitionBuild, rng));
}

type Base = Omit<CatalogueUpdate, 'family' | 'updateId' | 'productArch' | 'productVersion' | 'packageRepository' | 'packageSeverity' | 'cveNumbers' | 'installMinutes'>;

function versionUpdates(v: WindowsVersion, tuesdays: Date[], kb: () => string, definitionBuild: number, rng: Prng): CatalogueUpdate[] {
  const [m0, m1, m2] = tuesdays as [Date, Date, Date];
  const at = (day: Date, plusDays = 0) => msToNs(day.getTime() + plusDays * 86_400_000);
  const p = v.product;
  const bases: Base[] = [];
  const add = (title: string, kbid: string, classification: string, msrcSeverity: string, publishedNs: bigint, extra: Partial<Base> = {}) =>
    bases.push({ title: kbid === '' ? title : `${title} (KB${kbid})`, kbid, product: p, classification, msrcSeverity, optional: false, publishedNs, rebootBehavior: 'canrequestreboot', share: 1, wsusHeld: false, ...extra });

  // The newest monthly update is not yet approved on WSUS: WSUS-managed machines fail it in a run.
  add(v.monthlyTitle(monthLabel(m0)), kb(), 'Security Updates', 'Critical', at(m0), { wsusHeld: true });
  add(v.monthlyTitle(monthLabel(m1)), kb(), 'Security Updates', 'Critical', at(m1));
  add(v.monthlyTitle(monthLabel(m2)), kb(), 'Security Updates', 'Important', at(m2), { share: 0.9 });
  add(`${monthLabel(m0)} Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for ${p} for x64`, kb(), 'Security Updates', 'Important', at(m0), { share: 0.9 });
  add(`${monthLabel(m1)} Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for ${p} for x64`, kb(), 'Security Updates', 'Moderate', at(m1), { share: 0.8 });
  add(`${monthLabel(m0)} Servicing Stack Update for ${p} ${x64}`, kb(), 'Critical Updates', '', at(m0), { share: 0.7 });
  add(`${monthLabel(m0)} Cumulative Update Preview for ${p} ${x64}`, kb(), 'Updates', '', at(m0, 15), { optional: true, share: 0.8 });
  add(`Windows Malicious Software Removal Tool x64 - v5.${100 + rng.int(20, 30)}`, '890830', 'Update Rollups', '', at(m0), { rebootBehavior: 'neverreboots' });
  add(`Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.${definitionBuild}.${rng.int(100, 499)}.0)`, '', 'Definition Updates', '', at(m0, 1), { kbid: '2267602', rebootBehavior: 'neverreboots', share: 0.9 });
  add(`Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.${rng.int(24000, 24090)}.${rng.int(1, 9)})`, '', 'Definition Updates', '', at(m1, 9), { kbid: '4052623', rebootBehavior: 'neverreboots', share: 0.6 });
  add(`Microsoft .NET Framework 4.8.1 for ${p} for x64`, kb(), 'Feature Packs', '', at(m2, -40), { optional: true, share: 0.5 });
  add(`Update for ${p} ${x64}`, kb(), 'Critical Updates', '', at(m1, 3), { share: 0.5 });
  add(`Compatibility Update for ${p} ${x64}`, kb(), 'Updates', '', at(m2, 5), { share: 0.6 });
  add(`Remote Server Administration Tools for ${p} ${x64}`, kb(), 'Tools', '', at(m2, -90), { share: 0.3, rebootBehavior: 'neverreboots' });
  add(`Security Update for SQL Server 2019 RTM CU`, kb(), 'Security Updates', 'Important', at(m1), { product: 'Microsoft SQL Server 2019', share: 0.25 });
  add(`Service Pack 3 for SQL Server 2016`, '5003279', 'Service Packs', '', at(m2, -800), { product: 'Microsoft SQL Server 2016', share: 0.1 });
  add(`Microsoft Edge-Stable Channel Version ${rng.int(120, 130)} Update for x64 based Editions`, '', 'Security Updates', 'Low', at(m0, 4), { product: 'Microsoft Edge', share: 0.5, rebootBehavior: 'neverreboots' });

  return bases.map((base) => ({
    ...base,
    family: v.family,
    updateId: rng.guid(),
    productArch: '',
    productVersion: '',
    packageRepository: '',
    packageSeverity: '',
    cveNumbers: '',
    installMinutes: base.rebootBehavior === 'neverreboots' ? rng.int(1, 3) : rng.int(6, 18),
  }));
}

/** Distinct, increasing, realistic-looking KB numbers (KB50xxxxx). */
function kbAllocator(rng: Prng): () => string {
  let next = rng.int(5_030_000, 5_040_000);
  return () => {
    next += rng.int(3, 60);
    return String(next);
  };
}
