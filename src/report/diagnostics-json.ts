/** Diagnostics as JSON for machines (stable field names; schemaVersion bumps on breaking change). */
import { CODES, type Diagnostic } from '../scenario/diagnostics.js';

export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    slug: CODES[d.code].slug,
    severity: d.severity,
    message: d.message,
    ...(d.loc ? { file: d.loc.file, line: d.loc.line, col: d.loc.col, endLine: d.loc.endLine, endCol: d.loc.endCol } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ message: r.message, file: r.loc.file, line: r.loc.line, col: r.loc.col })) } : {}),
  };
}
