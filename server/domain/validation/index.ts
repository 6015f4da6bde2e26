export { isMainlandMobile, normalizePhone } from './phone';
export {
  parseResidentId,
  residentIdCheckChar,
  maskIdNumber,
  maskPhone,
  type ResidentIdResult,
} from './id-number';
export { acceptText, type TextCheck } from './text';
export { isValidCreditCode, creditCodeError, withCreditCodeCheck } from './credit-code';
