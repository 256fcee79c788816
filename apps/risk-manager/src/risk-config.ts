/**
 * What the risk manager needs of the config beyond @drift/config's validation of the `risk` section: every
 * limited market must be a market the fleet trades (the monitor reads its oracle on every poll).
 */
import type { FleetConfig } from '@drift/config';
import { DriftError } from '@drift/logging';

export class RiskConfigError extends DriftError {
  override readonly code = 'DRIFT_ERR_RISK_CONFIG_INVALID';
  override name = 'RiskConfigError';
}

export function checkRiskConfig(config: Pick<FleetConfig, 'markets' | 'risk'>): void {
  const problems = Object.entries(config.risk.maxPositionBase)
    .filter(([market]) => !config.markets.includes(market))
    .map(
      ([market]) =>
        `risk.maxPositionBase.${market}: a limit for ${market}, which is not in markets [${config.markets.join(', ')}]`,
    );
  if (problems.length > 0) throw new RiskConfigError(`invalid risk limits:\n  ${problems.join('\n  ')}`);
}
