export {
  minimaxDiscriminatorLoss,
  minimaxGeneratorLoss,
  nonSaturatingGeneratorLoss,
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
  hingeDiscriminatorLoss,
  hingeGeneratorLoss,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from './adversarial.js';
export type { DiscriminatorLossOptions } from './adversarial.js';
export { gradientPenalty, r1Penalty } from './penalties.js';
export type { Critic, GradientPenaltyOptions, R1PenaltyOptions } from './penalties.js';
export { featureMatchingLoss } from './feature-matching.js';
export { auxiliaryClassifierLoss, crossEntropyLoss } from './classification.js';
export { semiSupervisedClassLoss, semiSupervisedDiscriminatorLoss, semiSupervisedGeneratorLoss } from './semi-supervised.js';
export { bernoulliReconstructionLoss, gaussianReconstructionLoss, gaussianKlDivergence, elboLoss } from './vae.js';
export { logMeanExp } from './log-mean-exp.js';
export { importanceWeightedLoss, importanceLogWeights, bernoulliLogLikelihood } from './iwae.js';
