// Types for eslint/import-layers.js (plain JS so eslint.config.js can load it without a build).
import type { Linter } from 'eslint';

export interface LayerRow {
  folder: string;
  mayImport: string[];
}
export interface AllowlistEntry {
  file: string;
  folder: string;
  reason: string;
}
export const LAYERS: LayerRow[];
export const ROOT_MAY_IMPORT: string[];
export const ALLOWLIST: AllowlistEntry[];
export function allowedImports(folder: string): string[];
export function importLayerConfigs(options?: { allowlist?: AllowlistEntry[] }): Linter.Config[];
