"""Simplified → traditional script for test inputs (Big5 reports, traditional mirrors).

A fixed list of the reports' common characters; a pair is used only when the extractor's
public ``simplify`` maps the traditional character back, so a converted report must read
exactly like the original.
"""

from __future__ import annotations

from functools import lru_cache

from xxgk.core.text import simplify

_TRAD = (
    "萬專業個為舉於從眾會傳體關內決況減辦務動區協單參發員國圍處復複審對屬應廢開強當總執"
    "護報據權條構標檔樣檢欄濟點熱現電監確穩類糾納線組織經結絡繼續維編繳網罰職輿範獲補規"
    "視計認訓議許訟設訪訴詢請讀談負責購費轉輯過這採錯門聞閱隱項題額駁態際導將並級縣鄉鎮"
    "農漢環廣資財預劃質實達滿義優準證獎勵徵給細簽見則製佈後餘臺裡號歸屆統築雲陽嶺東貴陝"
    "華龍寧慶興遼蘇黨廳衛產醫療藥園調絕違險歷億們問間時運進還選適邊遠連遺鄰錄長閉隊陳陸"
    "隨雙難頁順須領頻風館驗魚鳥麗齊齡價儀兒兩冊劉創勞勢匯壓團圖堅場塊壞夠婦學寶寫層島崗"
    "幣師帶幫庫廠張徑愛戰戶擊擴擬攝敗數斷暢書極樓樂機歡歲氣災爭爾狀獨獻畫異盡盤礎禮窮競"
    "筆節簡糧紀約紅純紙紛終絲綜綠緊締練縮績聯聲臨與舊藝藍術衝裝親觀誌語誠說課論講識變讓"
    "豐貨貫貿賣賦趨跡踐車軍軟載輔輕輸辭遞遷郵釋針鋼錢鏈鐵陣陰階雜離靈靜響頂頒頭顧顯飛養"
    "駐驅麥黃啟陽樹麼隻嚴凍撥據搖擔擁攜斂曆曉橋殘滯濕瀏灣煙燈營獲瑩畝盜睜礦禍稅穀窩竊"
    "紹綱緒締縣纖罷聖脅腳臉艦莊薦蘭虛蟲襲覽訂訊詞詳諮謀謝譯護貝貧貪貼賓賴贊趕躍軌輪辦"
    "邏醬釘銀銷鋪錦鍵閒闆隸雞頓頸頻顆飯餘駕騎髮鬥鬧齒"
)
_SIMP = (
    "万专业个为举于从众会传体关内决况减办务动区协单参发员国围处复复审对属应废开强当总执"
    "护报据权条构标档样检栏济点热现电监确稳类纠纳线组织经结络继续维编缴网罚职舆范获补规"
    "视计认训议许讼设访诉询请读谈负责购费转辑过这采错门闻阅隐项题额驳态际导将并级县乡镇"
    "农汉环广资财预划质实达满义优准证奖励征给细签见则制布后余台里号归届统筑云阳岭东贵陕"
    "华龙宁庆兴辽苏党厅卫产医疗药园调绝违险历亿们问间时运进还选适边远连遗邻录长闭队陈陆"
    "随双难页顺须领频风馆验鱼鸟丽齐龄价仪儿两册刘创劳势汇压团图坚场块坏够妇学宝写层岛岗"
    "币师带帮库厂张径爱战户击扩拟摄败数断畅书极楼乐机欢岁气灾争尔状独献画异尽盘础礼穷竞"
    "笔节简粮纪约红纯纸纷终丝综绿紧缔练缩绩联声临与旧艺蓝术冲装亲观志语诚说课论讲识变让"
    "丰货贯贸卖赋趋迹践车军软载辅轻输辞递迁邮释针钢钱链铁阵阴阶杂离灵静响顶颁头顾显飞养"
    "驻驱麦黄启阳树么只严冻拨据摇担拥携敛历晓桥残滞湿浏湾烟灯营获莹亩盗睁矿祸税谷窝窃"
    "绍纲绪缔县纤罢圣胁脚脸舰庄荐兰虚虫袭览订讯词详咨谋谢译护贝贫贪贴宾赖赞赶跃轨轮办"
    "逻酱钉银销铺锦键闲板隶鸡顿颈频颗饭余驾骑发斗闹齿"
)


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    pairs = {s: t for t, s in zip(_TRAD, _SIMP, strict=True) if simplify(t) == s and s != t}
    return str.maketrans(pairs)


def to_traditional(text: str) -> str:
    return text.translate(_table())
