/**
 * Deterministic multilingual training files for benchmarks: chat examples in Chinese, Japanese,
 * Thai, Korean, Russian, Arabic, Hindi and European languages, code, emoji, tool calls and long
 * unbroken runs (a clause of Chinese with no punctuation, base64, digits, a Thai paragraph with no
 * spaces), so the tokenizer meets the long pre-tokens that English words never produce.
 * The word lists are written for this file (short travel vocabulary), not taken from any corpus.
 */
import { random, writeJsonlFile } from "./generate";

/** Words of one script and how a sentence of them is joined and ended. */
interface Language {
  readonly words: readonly string[];
  readonly join: string;
  readonly comma: string;
  readonly end: readonly string[];
}

const split = (s: string): string[] => s.split(" ");

/** Script name → vocabulary. */
export const LANGUAGES: Record<string, Language> = {
  chinese: {
    words: split(
      "我们 旅行 酒店 机场 火车 天气 今天 明天 城市 博物馆 预订 房间 价格 便宜 附近 餐厅 地铁 出租车 景点 推荐 " +
        "时间 早上 晚上 周末 朋友 家人 护照 签证 行李 海滩 山 湖 公园 寺庙 美食 咖啡 购物 市场 门票 导游 " +
        "需要 可以 什么 怎么 哪里 多少 非常 特别 已经 因为 所以 但是 如果 还是 一起 应该 喜欢 知道 觉得 看到",
    ),
    join: "",
    comma: "，",
    end: ["。", "？", "！"],
  },
  japanese: {
    words: split(
      "ホテル 空港 電車 天気 今日 明日 東京 京都 大阪 博物館 予約 部屋 料金 近く レストラン 地下鉄 タクシー 観光 " +
        "おすすめ 時間 朝 夜 週末 友達 家族 パスポート 荷物 海 山 公園 お寺 料理 コーヒー 買い物 切符 " +
        "です ます でした から まで ので けど ください ありがとう すみません どこ いくら とても もう 一緒に",
    ),
    join: "",
    comma: "、",
    end: ["。", "か？", "！"],
  },
  thai: {
    words: split(
      "โรงแรม สนามบิน รถไฟ อากาศ วันนี้ พรุ่งนี้ เมือง พิพิธภัณฑ์ จอง ห้อง ราคา ใกล้ ร้านอาหาร รถไฟฟ้า แท็กซี่ " +
        "สถานที่ แนะนำ เวลา เช้า เย็น สุดสัปดาห์ เพื่อน ครอบครัว หนังสือเดินทาง กระเป๋า ทะเล ภูเขา สวน วัด อาหาร " +
        "กาแฟ ซื้อของ ตลาด ตั๋ว ไกด์ ต้องการ ได้ อะไร อย่างไร ที่ไหน เท่าไร มาก แล้ว เพราะ ดังนั้น แต่ ถ้า ครับ ค่ะ",
    ),
    join: "",
    comma: " ",
    end: [" ", "ครับ ", "ค่ะ "],
  },
  korean: {
    words: split(
      "호텔 공항 기차 날씨 오늘 내일 도시 박물관 예약 방 가격 근처 식당 지하철 택시 관광지 추천 시간 아침 저녁 " +
        "주말 친구 가족 여권 짐 바다 산 공원 절 음식 커피 쇼핑 시장 표 가이드 필요해요 있어요 없어요 어디 얼마 " +
        "정말 벌써 그래서 하지만 같이 좋아요 알아요 생각해요 봤어요 가고 싶어요",
    ),
    join: " ",
    comma: ",",
    end: [".", "?", "!"],
  },
  russian: {
    words: split(
      "гостиница аэропорт поезд погода сегодня завтра город музей бронировать номер цена рядом ресторан метро такси " +
        "достопримечательности советую время утром вечером выходные друзья семья паспорт виза багаж море горы парк " +
        "храм еда кофе покупки рынок билет гид нужно можно что как где сколько очень уже потому поэтому но если вместе",
    ),
    join: " ",
    comma: ",",
    end: [".", "?", "!"],
  },
  arabic: {
    words: split(
      "فندق مطار قطار الطقس اليوم غدا مدينة متحف حجز غرفة السعر قريب مطعم مترو سيارة أجرة معالم أنصح الوقت صباحا " +
        "مساء عطلة أصدقاء عائلة جواز تأشيرة أمتعة البحر الجبال حديقة مسجد طعام قهوة تسوق سوق تذكرة مرشد أحتاج يمكن " +
        "ماذا كيف أين كم جدا لأن لذلك لكن إذا معا",
    ),
    join: " ",
    comma: "،",
    end: [".", "؟", "!"],
  },
  hindi: {
    words: split(
      "होटल हवाई अड्डा ट्रेन मौसम आज कल शहर संग्रहालय बुकिंग कमरा कीमत पास रेस्टोरेंट मेट्रो टैक्सी घूमने सुझाव " +
        "समय सुबह शाम सप्ताहांत दोस्त परिवार पासपोर्ट वीज़ा सामान समुद्र पहाड़ पार्क मंदिर खाना कॉफ़ी खरीदारी बाज़ार " +
        "टिकट गाइड चाहिए सकते क्या कैसे कहाँ कितना बहुत क्योंकि इसलिए लेकिन अगर साथ है हैं",
    ),
    join: " ",
    comma: ",",
    end: ["।", "?", "!"],
  },
  european: {
    words: split(
      "the hotel près de la gare où está el museo für die Reise naïve café über Straße Zürich São Paulo " +
        "voilà déjà très bien année niño mañana qualità perché così città Kraków żółw łódź Ålesund smørbrød " +
        "flight booking price weekend recommend it's don't we'll I'm",
    ),
    join: " ",
    comma: ",",
    end: [".", "?", "!", "…"],
  },
};

const EMOJI = ["🙂", "✈️", "🏖️", "👍🏽", "👨‍👩‍👧", "🇯🇵", "🇹🇭", "🍜", "🚆", "❤️", "🎉", "😅"];

const CODE = [
  'def book(city: str, nights: int = 2) -> dict:\n    """Reserve a room."""\n    return {"city": city, "nights": nights}\n',
  "const total = rooms.reduce((sum, r) => sum + r.price * r.nights, 0);\nconsole.log(`total: ${total.toFixed(2)} €`);\n",
  "SELECT city, AVG(price) AS avg_price\nFROM hotels\nWHERE rating >= 4.5\nGROUP BY city\nORDER BY avg_price;\n",
  "for (int i = 0; i < n; ++i) {\n\tif (seats[i] == FREE) { reserve(&seats[i]); break; }\n}\n",
  "    }\n  }\n}\n\n// ==========================================================\n",
];

const TOOLS = [
  {
    type: "function",
    function: {
      name: "search_hotels",
      description: "Search hotels in a city / 在城市中搜索酒店 / ค้นหาโรงแรม",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, nights: { type: "integer" } },
        required: ["city"],
      },
    },
  },
];

/** Yields multilingual JSONL lines (without "\n") for ever; `only` limits the languages used. */
export function* multilingualLines(seed = 11, only?: readonly string[]): Generator<string> {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const names = only ?? Object.keys(LANGUAGES);
  const sentence = (lang: Language): string => {
    const n = 4 + Math.floor(rnd() * 14);
    let out = "";
    for (let i = 0; i < n; i++) {
      if (i > 0) out += i % 5 === 4 ? lang.comma + lang.join : lang.join;
      out += rnd() < 0.03 ? pick(EMOJI) : pick(lang.words);
    }
    return out + pick(lang.end);
  };
  const paragraph = (lang: Language, min: number, max: number): string => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    let out = "";
    for (let i = 0; i < n; i++) out += (i > 0 && lang.join === " " ? " " : "") + sentence(lang);
    return out;
  };
  const unbroken = (lang: Language): string => {
    const r = rnd();
    if (r < 0.4) {
      // A clause with no punctuation at all: one pre-token of thousands of bytes.
      let out = "";
      for (let i = 0; i < 200 + Math.floor(rnd() * 600); i++) out += pick(LANGUAGES.chinese.words);
      return out;
    }
    if (r < 0.6) {
      let out = "";
      for (let i = 0; i < 100 + Math.floor(rnd() * 300); i++) out += pick(LANGUAGES.thai.words);
      return out;
    }
    if (r < 0.8) {
      let out = "data:image/png;base64,";
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (let i = 0; i < 1000 + Math.floor(rnd() * 3000); i++) out += pick(alphabet.split(""));
      return out;
    }
    return `${paragraph(lang, 1, 2)} ${"9".repeat(50)}${"-".repeat(80)}`;
  };
  // One system prompt for the whole file, as fine-tuning data usually has.
  const systemPrompt = paragraph(LANGUAGES[names[0]], 2, 2);
  for (;;) {
    const lang = LANGUAGES[pick(names)];
    const messages: Record<string, unknown>[] = [{ role: "system", content: systemPrompt }];
    const example: Record<string, unknown> = { messages };
    const kind = rnd();
    if (kind < 0.1) {
      example.tools = TOOLS;
      messages.push({ role: "user", content: paragraph(lang, 1, 2) });
      const args = JSON.stringify({ city: pick(lang.words), nights: 1 + Math.floor(rnd() * 5) });
      messages.push({
        role: "assistant",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "search_hotels", arguments: args } },
        ],
      });
      messages.push({
        role: "tool",
        tool_call_id: "call_1",
        content: JSON.stringify({ results: [paragraph(lang, 1, 1), paragraph(lang, 1, 1)] }),
      });
      messages.push({ role: "assistant", content: paragraph(lang, 2, 5) });
    } else {
      const turns = rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 2);
      for (let t = 0; t < turns; t++) {
        const extra = rnd();
        const user =
          extra < 0.08 ? `${paragraph(lang, 1, 1)}\n\n${pick(CODE)}` : paragraph(lang, 1, 3);
        const answer =
          extra > 0.96 ? `${paragraph(lang, 1, 2)}\n${unbroken(lang)}` : paragraph(lang, 2, 8);
        messages.push({ role: "user", content: user });
        messages.push({ role: "assistant", content: answer });
      }
    }
    yield JSON.stringify(example);
  }
}

/**
 * Writes a multilingual training file of about `targetBytes` (never more) to `path`, reusing an
 * existing one of the right size. `only` limits the languages (e.g. ["chinese"]).
 */
export async function generateMultilingualFile(
  path: string,
  targetBytes: number,
  only?: readonly string[],
  seed = 11,
): Promise<number> {
  return writeJsonlFile(path, targetBytes, multilingualLines(seed, only));
}
