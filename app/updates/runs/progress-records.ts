/**
 * UpdateRunProgress rows: one per (run, machine, update) status change reported by an agent, and
 * one per machine outcome (the agent's completion, or what the server decided: FailedToStart,
 * MaintenanceWindowExceeded, Canceled). A machine-outcome row has no Title, UpdateId, KBID or Product.
 */
import type { OsType, UpdateProgress } from '../../../contracts/updates.js';

export interface UpdateRunProgressRow {
  TimeGenerated: string;
  UpdateRunName: string;
  CorrelationId: string;
  Computer: string;
  OSType: OsType;
  InstallationStatus: string;
  Title: string;
  SourceSystem: string;
  SourceComputerId?: string;
  KBID?: string;
  UpdateId?: string;
  Product?: string;
  ErrorResult?: string;
  StartTime?: string;
  EndTime?: string;
}

/** Where rows go: the server's durable ingestion; resolves once they are committed. */
export type ProgressSink = (rows: UpdateRunProgressRow[]) => Promise<void>;

export interface RunMachine {
  runId: string;
  updateRunName: string;
  os: OsType;
  computer: string;
  sourceComputerId?: string;
}

function base(machine: RunMachine, at: Date): Omit<UpdateRunProgressRow, 'InstallationStatus' | 'Title'> {
  return {
    TimeGenerated: at.toISOString(),
    UpdateRunName: machine.updateRunName,
    CorrelationId: machine.runId,
    Computer: machine.computer,
    OSType: machine.os,
    SourceSystem: machine.os === 'Windows' ? 'OpsManager' : 'Linux',
    ...(machine.sourceComputerId ? { SourceComputerId: machine.sourceComputerId } : {}),
  };
}

export function updateRows(machine: RunMachine, updates: readonly UpdateProgress[], at: Date): UpdateRunProgressRow[] {
  return updates.map((u) => ({
    ...base(machine, at),
    InstallationStatus: u.status,
    Title: u.title,
    ...(u.kbId ? { KBID: u.kbId } : {}),
    ...(u.updateId ? { UpdateId: u.updateId } : {}),
    ...(u.product ? { Product: u.productArch ? `${u.product}.${u.productArch}` : u.product } : {}),
    ...(u.errorResult ? { ErrorResult: u.errorResult } : {}),
    ...(u.startTime ? { StartTime: u.startTime } : {}),
    ...(u.endTime ? { EndTime: u.endTime } : {}),
  }));
}

export function machineRow(machine: RunMachine, status: string, at: Date, error?: string, times: { start?: Date; end?: Date } = {}): UpdateRunProgressRow {
  return {
    ...base(machine, at),
    InstallationStatus: status,
    Title: '',
    ...(error ? { ErrorResult: error } : {}),
    ...(times.start ? { StartTime: times.start.toISOString() } : {}),
    ...(times.end ? { EndTime: times.end.toISOString() } : {}),
  };
}
