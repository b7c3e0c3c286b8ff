/** The sample alert rules (samples/alert-rules/*.json), bundled at build time so the form can start from one. */
import type { AlertRuleInput } from '../../../../contracts/alerts.js';

const files = import.meta.glob<AlertRuleInput>('../../../../samples/alert-rules/*.json', { import: 'default', eager: true });

export const sampleRules: readonly { file: string; rule: AlertRuleInput }[] = Object.entries(files)
  .map(([path, rule]) => ({ file: path.split('/').pop()!.replace(/\.json$/, ''), rule }))
  .sort((a, b) => a.rule.name.localeCompare(b.rule.name));
