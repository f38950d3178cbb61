/**
 * One output file, rendered in memory before anything is written: its path relative to the output directory
 * and its content. Every report (run, sizing) is a list of these, written all or nothing (files/atomic-files.ts).
 */
export interface ReportFile {
  path: string;
  content: string;
}
