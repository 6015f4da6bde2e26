export { isMainlandMobile, normalizePhone } from './phone';
export {
  parseResidentId,
  residentIdCheckChar,
  maskIdNumber,
  maskPhone,
  type ResidentIdResult,
} from './id-number';
export { isValidCreditCode, creditCodeError, withCreditCodeCheck } from './credit-code';
