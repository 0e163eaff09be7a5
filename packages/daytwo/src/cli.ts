import { runReportCommand } from './cli/report-command.js';
import { runTuiCommand } from './cli/tui-command.js';
import { UsageError } from './options/connection-options.js';
import { USAGE, VERSION } from './cli/usage.js';
import { REPORT_VIEWS } from './report/views.js';

/** Entry point of the `daytwo` binary; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  // `daytwo report|logs|rollback --help`: the usage (drain, cordon and sim print their own).
  if ((first === 'report' || first === 'logs' || first === 'rollback') && (rest.includes('-h') || rest.includes('--help'))) return printUsage();
  try {
    switch (first) {
      case 'report':
        return await runReportCommand(rest);
      case 'drain': {
        const { runDrainCommand } = await import('./cli/drain-command.js');
        return await runDrainCommand(rest);
      }
      case 'migrate': {
        const { runMigrateCommand } = await import('./cli/migrate-command.js');
        return await runMigrateCommand(rest);
      }
      case 'rehearse': {
        const { runRehearseCommand } = await import('./cli/rehearse-command.js');
        return await runRehearseCommand(rest);
      }
      case 'cordon':
      case 'uncordon': {
        const { runCordonCommand } = await import('./cli/cordon-command.js');
        return await runCordonCommand(first === 'cordon', rest);
      }
      case 'rollback': {
        const { runRollbackCommand } = await import('./cli/rollback-command.js');
        return await runRollbackCommand(rest);
      }
      case 'logs': {
        const { runLogsCommand } = await import('./cli/logs-command.js');
        return await runLogsCommand(rest);
      }
      case 'sim': {
        const { runSimCommand } = await import('@daytwo/sim/cli.js');
        return await runSimCommand(rest);
      }
      case 'help':
        return printUsage();
      default:
        if (first !== undefined && !first.startsWith('-')) {
          throw new UsageError(`unknown command "${first}" (commands: report, drain, migrate, rehearse, cordon, uncordon, rollback, logs, sim; see daytwo --help)`);
        }
        if (argv.includes('-h') || argv.includes('--help')) return printUsage();
        if (argv.includes('-v') || argv.includes('--version')) {
          process.stdout.write(`daytwo ${VERSION}\n`);
          return 0;
        }
        return await runTuiCommand(argv);
    }
  } catch (err) {
    process.stderr.write(`daytwo: ${describeError(err)}\n`);
    return 2;
  }
}

function printUsage(): number {
  process.stdout.write(USAGE.replace('{{views}}', REPORT_VIEWS.map((v) => v.name).join(', ')));
  return 0;
}

/** One line for any error: parseArgs' codes get a hint, everything else its message. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) return `${err.message} (see daytwo --help)`;
    return err.message;
  }
  return String(err);
}

