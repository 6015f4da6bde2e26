import { z } from 'zod';
import { printable } from '../validation/printable';

/** The 56 ethnic groups recognised in China (GB/T 3304), as printed on identity documents. */
export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

export const GENDERS = ['MALE', 'FEMALE'] as const;
export type Gender = (typeof GENDERS)[number];

export const genderSchema = z.enum(GENDERS);

/** 彝 or 彝族 -> 彝族; anything else is refused with the list's rule. */
export const ethnicitySchema = z
  .string()
  .trim()
  .transform((s) => (s.endsWith('族') ? s : `${s}族`))
  .refine((s) => (ETHNICITIES as readonly string[]).includes(s), 'must be one of the 56 ethnic groups (e.g. 汉族, 彝族, 白族)');

export const occupationSchema = printable(z.string().trim().min(2, 'is too short (e.g. 农民, 个体工商户, 教师)').max(50, 'is too long'));

/** Channels through which a consent to electronic service is recorded. */
export type ServiceConsentChannel = 'REGISTRATION' | 'PROFILE' | 'FILING';

/** An electronic service address (电子送达地址): an email address or a mainland mobile for SMS. */
export const serviceAddressSchema = z
  .string()
  .trim()
  .max(200)
  .refine((s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) || /^1\d{10}$/.test(s), 'must be an email address or a mainland mobile number');
