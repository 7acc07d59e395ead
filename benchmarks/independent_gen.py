"""Independent synthetic registry generator for the 一业一会 duplicate detector.

Written from the data contract (docs/FORMAT.md) and the policy only, without looking at the
project's own generator, vocabulary, training code or industry taxonomy, so that the tool can be
measured on registries "written by someone else".  Everything here (industries, name variants,
scope phrasing, cities, 异地商会 origins) is this file's own vocabulary.

Usage:
    .venv/bin/python benchmarks/independent_gen.py OUT_DIR --seed 7 --n 300 [--city 泉州市] [--apps 40]

Writes
    OUT_DIR/registry/      associations.csv, memberships.csv, industry_stats.csv
    OUT_DIR/applications/  associations.csv, memberships.csv   (new applications to screen)
    OUT_DIR/labels/        groups.csv (id,group), pairs.csv (id_a,id_b,label,kind),
                           applications.csv (id,verdict,expected_match,kind),
                           truth_registry.csv / truth_applications.csv (true kind, key, region; for error analysis)

Label semantics (the policy, not the tool's opinion): two ACTIVE associations are duplicates when
they serve the same industry with the same nature (协会/商会/联合会/促进会 alike; 学会/研究会 apart)
in the same administrative region (the city level, or one county-level unit).  A 异地商会's
"industry" is its origin (province / prefecture / county, each distinct).  Dissolved (注销/撤销)
associations are duplicates of nothing.

Optional realism: when /work/shared/data/gbt4754_2017.csv exists (or $GBT4754_CSV), declared
industries sometimes use the official GB/T 4754-2017 class name, read at run time.
"""
from __future__ import annotations

import argparse
import itertools
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------------------------
# Vocabulary: industries
# key | GB/T 4754 code | name cores | words used in texts | objects (;) | techniques |
# industry-specific scope clauses (;) | industry services | enterprise name words | forms (opt.)
# ---------------------------------------------------------------------------------------------
INDUSTRY_TABLE = """
鞋业 | 195 | 鞋业,鞋革行业,制鞋行业,鞋类产业,皮鞋行业 | 鞋业,制鞋,鞋类 | 皮鞋、休闲鞋、运动鞋等鞋类产品;男女皮鞋和童鞋 | 鞋样设计,制鞋工艺,鞋类质量检测 | 推动鞋类产品质量提升和区域品牌建设;组织鞋样设计大赛和新品发布活动;开展出口鞋类技术性贸易措施应对 | 鞋样设计培训,鞋类产品检测,国际鞋展组团 | 鞋业,鞋服,制鞋
鞋材 |  | 鞋材,鞋材行业,鞋用材料,鞋底材料行业 | 鞋材,鞋用材料 | 鞋底、鞋面、鞋跟等鞋用材料;PU、TPR、EVA鞋底材料 | 鞋底配方,发泡工艺,材料环保检测 | 推动鞋用材料环保化和功能化;促进鞋材企业与制鞋企业产销对接;组织鞋材新材料推介会 | 鞋材供需对接,材料环保检测,新材料推介 | 鞋材,鞋底,塑胶鞋材
服装 | 18 | 服装,服装行业,服饰产业,制衣行业,服装服饰 | 服装,服饰,制衣 | 男装、女装、童装等服装服饰;休闲服装和运动服饰 | 服装设计,制版工艺,面料应用 | 举办服装设计大赛和时装发布会;推动服装品牌培育和电商渠道建设;开展服装质量抽检和维权打假 | 服装设计培训,时装发布,品牌推广 | 服饰,服装,制衣
纺织 | 17 | 纺织,纺织行业,纺织产业,纺织印染行业 | 纺织,纺织印染,织造 | 棉纺、化纤、针织面料;纺织面料及印染产品 | 纺纱织造,印染技术,节能减排 | 推动纺织印染企业节能减排和技术改造;组织纺织面料新品展示;开展纺织产业链上下游协作 | 面料展示,印染环保咨询,技改项目申报 | 纺织,织造,针织,印染
汽车 | 5261 | 汽车,汽车行业,汽车流通,汽车经销,汽车商贸 | 汽车,汽车流通,汽车销售 | 乘用车和商用车销售;新车、二手车交易 | 汽车营销,售后服务管理,二手车评估 | 规范汽车销售和售后服务行为;举办汽车展销会和车市促销活动;开展二手车交易诚信建设 | 车展组织,二手车评估培训,消费维权 | 汽车销售服务,汽车贸易,汽车
汽车零部件 | 3670 | 汽车零部件,汽摩配,汽车配件,汽车零配件行业,汽配产业 | 汽车零部件,汽摩配,汽配 | 制动系统、转向系统、汽车电子等零部件;汽车及摩托车配件 | 精密加工,零部件检测,配套体系认证 | 推动汽配企业进入整车配套体系;组织零部件企业开展质量体系认证;举办汽摩配产品博览会 | 整车配套对接,体系认证辅导,汽配博览会组团 | 汽车部件,汽配,机车部件,汽车零部件
汽车维修 | 8111 | 汽车维修,机动车维修,汽车修理行业,汽车维修保养 | 机动车维修,汽车维修,汽修 | 机动车维修和保养;汽车钣金喷漆和快修服务 | 汽修技能,维修质量管理,环保喷涂 | 规范机动车维修经营行为和收费标准;开展维修质量投诉调解;组织汽修技能竞赛 | 汽修技能培训,维修纠纷调解,配件信息服务 | 汽车维修服务,汽车修理,汽修
汽车用品 |  | 汽车用品,汽车用品行业,车用品产业,汽车饰品 | 汽车用品,车用品 | 汽车座垫、脚垫、车载电器等汽车用品;汽车内饰和美容用品 | 产品设计,跨境电商,质量检测 | 推动汽车用品产业集群发展;组织企业参加国际汽车用品展;开展汽车用品跨境电商培训 | 展会组团,跨境电商培训,产品检测 | 汽车用品,车饰,汽车饰品
出租汽车 | 5413 | 出租汽车,出租车,客运出租车,出租汽车客运 | 出租汽车,出租车客运 | 巡游出租汽车和网约车客运服务;出租汽车运营 | 驾驶员服务规范,安全行车,运营管理 | 规范出租汽车经营秩序，提升服务质量;开展出租汽车驾驶员服务技能培训;协调处理乘客投诉 | 驾驶员培训,乘客投诉处理,运营安全宣传 | 出租汽车,出租车,客运
驾驶员培训 | 839 | 驾驶员培训,机动车驾驶培训,驾培行业,驾驶培训 | 驾驶员培训,驾培 | 机动车驾驶员培训;驾驶培训和考试服务 | 教学质量管理,教练员培训,学员服务 | 规范驾培市场秩序和收费行为;开展教练员继续教育;推动驾培服务质量信誉考核 | 教练员培训,驾培信息服务,投诉调解 | 驾驶员培训,驾校
模具 | 3525 | 模具,模具行业,模具制造,模塑行业 | 模具,模具制造 | 注塑模具、压铸模具和冲压模具;塑料模具和汽车模具 | 模具设计,数控加工,热处理 | 推动模具产业数字化改造;组织模具设计与制造技能竞赛;开展模具行业人才培养 | 模具设计培训,数控技能竞赛,订单对接 | 模具,模塑,精密模具
塑料 | 292 | 塑料,塑料行业,塑料制品,塑胶行业 | 塑料制品,塑料,塑胶 | 日用塑料制品和塑料包装材料;工程塑料制品 | 注塑成型,改性塑料,绿色降解 | 推动塑料制品行业绿色转型和可降解材料应用;组织塑料原料价格信息发布;开展塑料制品质量提升行动 | 原料信息发布,产品检测,绿色转型咨询 | 塑料,塑胶,塑业,塑料制品
阀门 | 3443 | 阀门,阀门行业,阀门产业,阀门制造业 | 阀门,阀门制造 | 闸阀、截止阀、球阀等工业阀门;铜制阀门和管件 | 阀门铸造,密封技术,压力检测 | 推动阀门产品标准化和检测能力建设;组织阀门企业参加国际流体展;开展阀门质量比对和品牌认定 | 阀门检测服务,国际展会组团,标准宣贯 | 阀门,阀业,流体控制
泵业 | 3441 | 泵业,水泵行业,泵类产业,水泵 | 水泵,泵业 | 潜水泵、离心泵和家用水泵;农用泵及工业泵 | 电机配套,水力设计,能效检测 | 推动水泵产品能效提升;组织水泵企业开展质量对标;开展泵类产品出口市场拓展 | 能效检测,质量对标,出口拓展 | 泵业,水泵,机电
水暖洁具 | 3072 | 水暖,水暖洁具,卫浴洁具,水暖卫浴 | 水暖卫浴,洁具 | 水龙头、花洒、卫浴陶瓷等产品;水暖管件和卫浴五金 | 铜合金铸造,表面处理,节水认证 | 推动节水型卫浴产品认证;组织水暖卫浴产品展销;开展铅析出等质量检测 | 节水认证辅导,产品检测,展销组织 | 水暖,卫浴,洁具
五金 | 332 | 五金,五金行业,五金制品,五金工具 | 五金,五金工具 | 手动工具、五金配件和金属制品;工量刃具及五金工具 | 金属加工,表面处理,产品检测 | 推动五金工具企业品牌建设;组织五金产品博览会;开展五金产品质量对比检测 | 产品检测,博览会组织,品牌推广 | 五金,工具,金属制品
眼镜 | 3587 | 眼镜,眼镜行业,眼镜产业,眼镜制造 | 眼镜,眼镜制造 | 光学眼镜、太阳镜和眼镜架;镜片及眼镜配件 | 镜架设计,光学检测,电镀工艺 | 推动眼镜产业转型升级和品牌培育;组织眼镜企业参加国际眼镜展;开展眼镜产品质量监督抽查 | 眼镜展组团,光学检测,设计培训 | 眼镜,光学,眼镜制造
医药 | 27 | 医药,医药行业,医药产业,制药行业 | 医药,制药 | 原料药、化学制剂和生物医药产品;药品和医药中间体 | 药品生产质量管理,药物研发,GMP认证 | 推动医药企业开展一致性评价和GMP管理;组织医药产业项目对接;开展药品安全生产培训 | GMP培训,项目对接,注册申报咨询 | 制药,药业,医药化工,生物医药
药品零售 | 525 | 药品零售,医药零售,零售药店,药店 | 药品零售,零售药店 | 药品、医疗器械和保健品零售;连锁药店经营 | 执业药师服务,药品质量管理,GSP认证 | 规范零售药店经营行为和药品价格;组织执业药师继续教育;开展药店GSP认证辅导 | 执业药师培训,GSP辅导,医保政策解读 | 大药房,药店,医药连锁
化工 | 26 | 化工,化工行业,精细化工,化学工业 | 化工,精细化工 | 精细化学品、涂料和化工原料;化学原料及化学制品 | 安全生产,环保治理,工艺优化 | 推动化工园区安全生产和环保治理;开展危险化学品管理培训;组织化工企业技术改造交流 | 安全生产培训,环评咨询,技改交流 | 化工,化学,新材料
电子商务 | 5292 | 电子商务,电商,网商,电子商务产业 | 电子商务,电商,网络零售 | 网络零售、跨境电商和直播电商;线上销售和网店运营 | 网店运营,直播带货,跨境电商 | 推动传统企业与电商平台对接;组织直播电商培训和网货供应链对接;开展电商诚信经营建设 | 电商培训,直播基地对接,平台入驻辅导 | 电子商务,网络科技,电商
物流 | 543 | 物流,物流行业,现代物流,物流产业,货运物流 | 物流,货运 | 公路货运、仓储和配送服务;物流园区和货运代理 | 仓储管理,多式联运,冷链物流 | 推动物流企业标准化和信息化建设;促进公路货运和仓储资源整合;开展物流从业人员培训 | 物流信息平台,运力对接,从业培训 | 物流,货运,供应链
快递 | 6020 | 快递,快递行业,快递业,寄递 | 快递,寄递 | 快件收寄、分拣和投递服务;快递末端网点 | 快件安全,末端配送,绿色包装 | 推动快递末端网点规范化建设;开展快递从业人员权益保障;组织快递绿色包装推广 | 快递员权益服务,网点规范辅导,安全培训 | 快递,速递
建筑业 | 47 | 建筑业,建筑行业,建筑施工,建筑企业 | 建筑,建筑施工 | 房屋建筑和市政工程施工;建筑工程总承包 | 施工安全管理,工程质量,建筑工业化 | 推动建筑业企业资质提升和工业化建造;组织工程质量安全标准化观摩;开展建筑施工企业信用评价 | 资质申报咨询,安全生产培训,信用评价 | 建设,建筑,建工,建筑工程
建筑装饰 | 50 | 建筑装饰,装饰装修,室内装饰,家装行业 | 建筑装饰,装饰装修,家装 | 住宅和公共建筑装饰装修工程;室内设计和家装服务 | 室内设计,施工工艺,绿色装修 | 规范家装市场合同和报价行为;举办室内设计大赛;开展装饰工程质量纠纷调解 | 设计大赛,合同示范文本,纠纷调解 | 装饰,装饰工程,家居装饰
工程造价 | 7481 | 工程造价,建设工程造价,造价咨询,工程造价管理 | 工程造价,造价咨询 | 建设工程计价和造价咨询业务;工程预结算审核 | 工程计价,造价软件,全过程咨询 | 发布建设工程造价信息和人工材料价格;组织造价从业人员继续教育;规范造价咨询执业行为 | 造价信息发布,继续教育,执业规范 | 工程造价咨询,工程咨询,造价
工程监理 | 7481 | 工程监理,建设监理,建设工程监理 | 工程监理,建设监理 | 房屋建筑和市政工程监理;工程项目管理 | 监理规范,旁站监理,安全监理 | 规范工程监理执业行为;组织监理人员培训和考核;开展监理企业诚信评价 | 监理培训,诚信评价,执业交流 | 工程监理,建设监理,项目管理
房地产 | 7010 | 房地产,房地产业,房地产开发,房产开发 | 房地产,房地产开发 | 商品住宅和商业地产开发;房地产开发经营 | 项目开发,市场营销,物业交付 | 开展房地产市场监测和形势分析;规范商品房销售行为;协助推进保交楼和住房保障工作 | 市场监测,政策解读,销售规范 | 房地产开发,置业,地产
物业管理 | 7020 | 物业管理,物业服务,物业管理行业 | 物业管理,物业服务 | 住宅小区和商业楼宇物业服务;物业保洁、秩序维护 | 物业服务标准,设施设备管理,业主沟通 | 推动物业服务标准化和星级评定;开展物业从业人员培训;协调物业服务纠纷 | 星级评定,物业培训,纠纷协调 | 物业管理,物业服务
律师 | 7231 | 律师,律师行业,律师业 | 律师,法律服务 | 律师法律服务和诉讼代理;公司法务和法律顾问 | 执业规范,诉讼实务,涉外法律 | 保障律师依法执业，维护律师合法权益;组织律师业务培训和执业考核;开展律师执业纪律监督 | 执业培训,权益保障,纪律监督 | 律师 | 协会
公证 | 7232 | 公证,公证行业,公证员 | 公证,公证服务 | 民事、经济公证事项;涉外公证和证据保全 | 公证程序,公证质量,证据保全 | 规范公证执业行为和收费;组织公证员业务培训;开展公证质量检查 | 公证员培训,质量检查,执业交流 | 公证 | 协会
注册会计师 | 7241 | 注册会计师,会计师,会计师事务所,注册会计师行业 | 注册会计师,审计鉴证 | 审计鉴证、验资和会计咨询业务;财务报表审计 | 审计准则,执业质量,职业道德 | 组织注册会计师后续教育;开展事务所执业质量检查;维护注册会计师合法权益 | 后续教育,执业检查,权益维护 | 会计师 | 协会
税务师 | 7241 | 税务师,注册税务师,税务师行业,涉税服务 | 税务师,涉税服务 | 纳税申报代理和税务咨询;涉税鉴证业务 | 税收政策,涉税鉴证,纳税筹划 | 规范涉税专业服务行为;组织税务师继续教育和政策解读;开展涉税服务信用评价 | 政策解读,继续教育,信用评价 | 税务师 | 协会
餐饮 | 6210 | 餐饮,餐饮业,餐饮行业,餐饮烹饪,饭店餐饮 | 餐饮,餐饮服务 | 中餐、快餐和特色小吃;餐饮服务和团餐配送 | 烹饪技艺,食品安全,厨房管理 | 推动餐饮业食品安全和明厨亮灶建设;举办地方美食节和烹饪技能大赛;开展餐饮服务等级评定 | 烹饪培训,美食节,等级评定 | 餐饮
酒店 | 6110 | 酒店,旅游饭店,酒店业,宾馆酒店 | 酒店,宾馆 | 星级酒店、宾馆和商务酒店;住宿接待服务 | 前厅客房管理,服务规范,收益管理 | 组织旅游饭店星级评定复核;开展酒店服务技能竞赛;推动酒店业数字化管理 | 星级评定,服务技能竞赛,员工培训 | 酒店
旅游 | 7291 | 旅游,旅游业,旅游行业,旅游产业 | 旅游,文化旅游 | 旅游线路、景区和旅行社服务;乡村旅游和文旅融合产品 | 导游服务,景区管理,旅游营销 | 推广本地旅游资源和精品线路;开展导游和旅游从业人员培训;规范旅游市场秩序 | 旅游推介,导游培训,投诉调解 | 旅行社,旅游开发,景区管理
民宿 | 6130 | 民宿,民宿行业,乡村民宿,民宿产业 | 民宿,乡村民宿 | 乡村民宿和精品农家乐;民宿住宿和体验服务 | 民宿设计,运营管理,服务规范 | 推动民宿等级评定和品牌建设;组织民宿主人培训和交流;开展民宿安全检查 | 等级评定,民宿培训,线上推广 | 民宿
茶叶 | 0164 | 茶叶,茶业,茶产业,茶叶行业 | 茶叶,茶产业 | 绿茶、乌龙茶和红茶;茶叶种植加工和茶具 | 茶叶加工,品质审评,茶园管理 | 举办茶王赛和茶文化节;推动茶叶区域公用品牌建设;开展茶园绿色防控技术推广 | 茶叶审评,品牌推广,茶文化活动 | 茶叶
水产 | 041 | 水产,水产品,渔业,水产养殖 | 水产,渔业,水产养殖 | 海水养殖、捕捞和水产品加工;青蟹、贝类等水产品 | 健康养殖,水产品加工,病害防治 | 推广水产健康养殖技术;组织水产品产销对接和品牌推介;开展渔业安全生产宣传 | 养殖技术推广,产销对接,渔业安全培训 | 水产
粮食 | 131 | 粮食,粮食行业,粮油,粮食流通 | 粮食,粮油 | 粮食收购、储存和粮油加工;大米和食用油 | 粮食储备,质量检验,粮油加工 | 协助做好粮食储备和应急保供;开展粮油质量检验培训;推动放心粮油工程建设 | 粮油检验培训,产销对接,应急保供 | 粮油,米业,粮食
食品 | 14 | 食品,食品行业,食品工业,食品产业 | 食品,食品加工 | 休闲食品、糕点和调味品;食品加工制品 | 食品安全,加工工艺,配方研发 | 推动食品企业诚信体系和追溯体系建设;组织食品安全法规培训;开展食品新品推介 | 食品安全培训,追溯体系,新品推介 | 食品,食品工业
水果 | 015 | 水果,果品,果业,水果产业 | 水果,果品 | 杨梅、柑橘等特色水果;水果种植和流通 | 果树栽培,保鲜冷链,品种改良 | 推广水果优良品种和标准化栽培技术;组织水果节和产销对接活动;开展果品冷链物流建设 | 技术推广,水果节,冷链对接 | 水果
花卉苗木 | 0143 | 花卉苗木,花木,花卉,园艺花卉 | 花卉苗木,花木 | 盆景、花卉和绿化苗木;园林绿化苗木 | 苗木培育,园林养护,花卉栽培 | 举办花卉苗木交易会;推广花卉新品种和栽培技术;开展苗木信息发布 | 交易会,技术推广,信息发布 | 园林,花木,苗木
家具 | 21 | 家具,家具行业,家具产业,家居 | 家具,家居 | 实木家具、办公家具和软体家具;定制家居产品 | 家具设计,木工工艺,环保涂装 | 举办家具设计大赛和家居博览会;推动家具企业环保涂装改造;开展家具质量监督抽查 | 设计大赛,家居博览会,环保改造咨询 | 家具,家居,木业
陶瓷 | 307 | 陶瓷,陶瓷行业,陶瓷产业,陶瓷工业 | 陶瓷,瓷业 | 建筑陶瓷、日用陶瓷和工艺陶瓷;瓷砖和陶瓷制品 | 窑炉节能,釉料配方,陶瓷设计 | 推动陶瓷企业窑炉节能和清洁生产;举办陶瓷博览会和设计大赛;开展陶瓷产品质量检测 | 陶瓷博览会,清洁生产咨询,产品检测 | 陶瓷,瓷业,建陶
石材 | 3032 | 石材,石材行业,石材产业,石业 | 石材,石材加工 | 花岗岩、大理石板材和石雕工艺品;建筑石材 | 石材加工,石雕工艺,粉尘治理 | 推动石材加工企业粉尘和废水治理;举办石材博览会;开展石雕工艺人才培养 | 石材博览会,环保治理咨询,石雕技艺培训 | 石材,石业,石雕
光伏 | 4416 | 光伏,光伏行业,太阳能光伏,光伏产业 | 光伏,太阳能光伏 | 光伏组件、逆变器和分布式光伏电站;太阳能发电 | 光伏电站运维,组件检测,储能应用 | 推动分布式光伏和储能应用;组织光伏企业参与电站建设标准制定;开展光伏安装运维培训 | 电站运维培训,项目对接,标准宣贯 | 光伏,新能源,太阳能
软件 | 651 | 软件,软件行业,软件和信息服务,软件产业,信息技术服务 | 软件,信息技术,软件和信息服务 | 应用软件开发和系统集成;信息技术服务 | 软件开发,数据安全,系统集成 | 推动软件企业参与数字化改革项目;组织软件著作权和资质认定辅导;开展信息技术人才培训 | 资质认定辅导,人才培训,项目对接 | 软件,信息技术,网络科技,数码科技
家电 | 385 | 家电,家用电器,电器行业,小家电 | 家电,家用电器 | 空调、冰箱和厨房小家电;家用电器 | 智能家电,电器安全,工业设计 | 推动家电企业智能化升级和品牌出海;组织家电产品安全认证培训;举办家电博览会 | 认证培训,博览会,出口服务 | 电器,家电,电器制造
缝制设备 | 3553 | 缝制设备,缝纫机,缝制机械,缝纫设备 | 缝制设备,缝纫机 | 工业缝纫机和缝制机械零部件;智能缝制设备 | 电控系统,精密加工,智能缝制 | 推动缝制设备智能化和自动化;组织缝制机械企业参加国际缝制设备展;开展缝纫机零部件配套对接 | 国际展会组团,配套对接,技术交流 | 缝纫机,缝制设备,机械
铝型材 | 3252 | 铝型材,铝材,铝加工,铝型材行业 | 铝型材,铝加工 | 建筑铝型材和工业铝型材;铝合金门窗和铝板 | 挤压工艺,表面处理,熔铸节能 | 推动铝型材企业节能和表面处理升级;开展铝型材质量对标;组织铝加工产业链对接 | 质量对标,节能改造咨询,产业链对接 | 铝业,铝材,金属制品
小额贷款 | 6635 | 小额贷款,小额贷款公司,小贷行业 | 小额贷款,小贷 | 小额贷款和小微企业融资服务;涉农和个体工商户贷款 | 风险控制,合规经营,征信管理 | 规范小额贷款公司经营行为和风险防控;组织从业人员合规培训;推动小贷公司接入征信系统 | 合规培训,征信接入,风险预警 | 小额贷款 | 协会,行业协会
融资担保 | 699 | 融资担保,担保行业,信用担保,融资性担保 | 融资担保,担保 | 融资担保和再担保业务;小微企业信用担保 | 担保风控,代偿管理,银担合作 | 推动银行与担保机构合作;开展担保行业风险监测;组织担保从业人员培训 | 银担对接,风险监测,从业培训 | 融资担保,信用担保,担保 | 协会,行业协会
保险 | 68 | 保险,保险行业,保险业 | 保险 | 财产保险、人身保险和保险中介业务;保险代理和理赔服务 | 保险理赔,消费者权益,反保险欺诈 | 规范保险销售和理赔服务行为;开展保险消费者权益保护宣传;组织保险从业人员职业道德培训 | 理赔纠纷调解,消费者教育,从业培训 | 保险 | 协会,行业协会
广告 | 725 | 广告,广告行业,广告业,广告传媒 | 广告,广告传媒 | 户外广告、广告设计和新媒体广告;广告代理和发布 | 广告创意,广告合规,媒体投放 | 宣传贯彻广告法，推动广告合规经营;举办广告创意大赛;开展户外广告设置规范 | 合规培训,创意大赛,户外广告规范 | 广告,文化传媒,传媒
印刷 | 23 | 印刷,印刷行业,印刷业,印刷产业 | 印刷 | 书刊、包装装潢和商业票据印刷;数码印刷 | 印刷工艺,色彩管理,VOCs治理 | 推动印刷企业绿色化改造和VOCs治理;组织印刷技能竞赛;开展印刷经营许可政策宣传 | 绿色改造咨询,技能竞赛,政策宣传 | 印刷,印业,印务
包装 | 223 | 包装,包装行业,包装材料,包装产业 | 包装,包装材料 | 纸箱、塑料包装和包装容器;包装材料 | 包装设计,绿色包装,纸箱工艺 | 推动包装减量化和绿色包装材料应用;举办包装设计大赛;开展包装产品质量检测 | 包装设计,质量检测,绿色包装推广 | 包装,纸业,包装材料
再生资源 | 5191 | 再生资源,再生资源回收,废旧物资回收,资源回收利用 | 再生资源,废旧物资回收 | 废旧金属、废纸和废塑料回收;报废汽车和电子废弃物拆解 | 分拣加工,拆解技术,环保合规 | 规范再生资源回收网点建设;推动废旧物资分拣中心标准化;开展拆解企业环保合规培训 | 网点规范,环保合规培训,行情发布 | 再生资源,物资回收,金属回收
美容美发 | 8040 | 美容美发,美发美容,美容美体,美业 | 美容美发,美业 | 美容、美发和美甲服务;生活美容和美体护理 | 美发技艺,美容护理,卫生管理 | 规范美容美发预付卡经营行为;组织美发技能大赛和职业培训;开展美容美发场所卫生自律 | 技能大赛,预付卡规范,职业培训 | 美容美发
婚庆 | 8070 | 婚庆,婚庆行业,婚庆服务,婚庆礼仪 | 婚庆,婚庆服务 | 婚礼策划、婚庆礼仪和婚纱摄影;婚宴服务 | 婚礼策划,司仪主持,摄影摄像 | 规范婚庆服务合同和收费;举办婚庆行业技能比赛;倡导婚事新办文明风尚 | 合同示范文本,技能比赛,行业评优 | 婚庆
养老服务 | 8514 | 养老服务,养老,养老产业,居家养老服务 | 养老服务,养老 | 机构养老、居家和社区养老服务;老年照护 | 护理技能,养老机构管理,医养结合 | 推动养老机构标准化和等级评定;开展养老护理员职业技能培训;促进医养结合和居家养老服务 | 护理员培训,等级评定,医养对接 | 养老服务
中医药 | 2730 | 中医药,中医药行业,中药材,中医药产业 | 中医药,中药 | 中药饮片、中药材种植和中医诊疗服务;道地药材 | 中药炮制,道地药材,中医养生 | 推动中药材规范化种植和道地药材品牌建设;组织中医药产业对接;开展中药饮片质量提升 | 产业对接,种植技术指导,质量提升 | 中药,中药饮片,药材
进出口 | 5181 | 进出口,外贸,对外贸易,进出口企业 | 进出口,外贸 | 货物进出口和对外贸易;跨境贸易服务 | 外贸实务,出口退税,贸易摩擦应对 | 组织企业应对贸易摩擦和反倾销调查;开展出口退税和外汇政策培训;组织企业参加广交会等境外展会 | 贸易摩擦应对,外贸政策培训,广交会组团 | 进出口,国际贸易,外贸
"""

# Related-but-different industries (not duplicates of each other; 业务交叉 in the same region).
RELATED_TABLE = """
鞋业-鞋材 服装-纺织 汽车-汽车零部件 汽车-汽车维修 汽车-汽车用品 汽车零部件-汽车用品 汽车-出租汽车
模具-塑料 阀门-泵业 阀门-水暖洁具 医药-药品零售 医药-化工 医药-中医药 电子商务-快递 物流-快递
建筑业-建筑装饰 建筑业-工程造价 建筑业-工程监理 工程造价-工程监理 房地产-物业管理 律师-公证
注册会计师-税务师 餐饮-酒店 酒店-旅游 旅游-民宿 酒店-民宿 食品-粮食 家具-建筑装饰 石材-建筑装饰
陶瓷-水暖洁具 中医药-药品零售 软件-电子商务 小额贷款-融资担保 印刷-包装 广告-印刷 出租汽车-驾驶员培训
"""

# Clearly related pairs used for `review` applications (业务交叉 that a reviewer should look at).
CLEAR_RELATED = {frozenset(p.split("-")) for p in
                 ["鞋业-鞋材", "汽车-汽车零部件", "律师-公证", "阀门-泵业", "医药-药品零售", "建筑业-建筑装饰", "房地产-物业管理", "注册会计师-税务师", "印刷-包装", "小额贷款-融资担保", "物流-快递", "模具-塑料", "服装-纺织"]}

# Mostly city-level bodies (professions, finance).
CITY_ONLY = {"律师", "公证", "注册会计师", "税务师", "工程造价", "工程监理", "小额贷款", "融资担保", "保险"}

# Member suffixes for industries whose members are not ordinary companies.
MEMBER_SUFFIX = {
    "律师": ["律师事务所"], "公证": ["公证处"], "注册会计师": ["会计师事务所有限公司", "会计师事务所（普通合伙）"],
    "税务师": ["税务师事务所有限公司"], "药品零售": ["大药房有限公司", "药店", "医药连锁有限公司"],
    "餐饮": ["餐饮管理有限公司", "酒楼", "饭店", "小吃店"], "酒店": ["大酒店有限公司", "宾馆", "酒店管理有限公司"],
    "美容美发": ["美容美发店", "美发工作室", "美容有限公司"], "婚庆": ["婚庆策划有限公司", "婚礼工作室"],
    "出租汽车": ["出租汽车有限公司", "客运有限公司"], "驾驶员培训": ["驾驶员培训有限公司", "驾校"],
    "养老服务": ["养老服务中心", "颐养院", "护理院"], "民宿": ["民宿", "客栈", "农家乐"],
    "水产": ["水产养殖场", "水产有限公司", "海产品专业合作社"], "水果": ["果业专业合作社", "农业开发有限公司", "家庭农场"],
    "茶叶": ["茶业有限公司", "茶厂", "茶叶专业合作社"], "保险": ["保险代理有限公司", "财产保险股份有限公司支公司"],
    "小额贷款": ["小额贷款股份有限公司", "小额贷款有限公司"], "旅游": ["旅行社有限公司", "旅游开发有限公司"],
}

# 学会 / 研究会 of the same field as an industry (near_form: never duplicates of the 协会).
ACADEMIC = {
    "中医药": ["中医药学会", "中医学会"], "茶叶": ["茶叶学会", "茶文化研究会"], "建筑业": ["建筑学会", "土木建筑学会"],
    "电子商务": ["电子商务研究会"], "物流": ["物流学会"], "旅游": ["旅游学会"], "水产": ["水产学会"],
    "注册会计师": ["会计学会"], "医药": ["药学会"], "房地产": ["房地产研究会"], "食品": ["食品科学技术学会"],
    "陶瓷": ["陶瓷学会"], "汽车": ["汽车工程学会"], "税务师": ["税务学会"], "保险": ["保险学会"],
    "花卉苗木": ["花卉研究会"], "模具": ["模具技术研究会"], "养老服务": ["养老服务研究会"],
}

# Member groups (not industries): each is its own "industry"; distinct groups are never duplicates.
AUDIENCE = {
    "企业家": ["企业家协会", "企业家联合会"],
    "青年企业家": ["青年企业家协会", "青年企业家商会", "青年企业家联合会"],
    "女企业家": ["女企业家协会", "女企业家商会"],
    "新生代企业家": ["新生代企业家联谊会", "新生代企业家商会"],
}

# ---------------------------------------------------------------------------------------------
# Cities (real county-level units, adcodes) and 异地商会 origins
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class County:
    name: str
    short: str
    code: str


@dataclass
class City:
    name: str
    short: str
    province: str
    code: str
    counties: list[County]
    specialties: dict[str, list[str]]

    def county(self, name: str) -> County | None:
        return next((c for c in self.counties if c.name == name), None)


def _counties(spec: str) -> list[County]:
    return [County(*item.split(":")) for item in spec.split()]


CITIES = {
    "台州市": City("台州市", "台州", "浙江", "331000", _counties(
        "椒江区:椒江:331002 黄岩区:黄岩:331003 路桥区:路桥:331004 临海市:临海:331082 温岭市:温岭:331081 "
        "玉环市:玉环:331083 天台县:天台:331023 仙居县:仙居:331024 三门县:三门:331022"), {
        "椒江区": ["医药", "化工", "缝制设备"], "黄岩区": ["模具", "塑料"], "路桥区": ["汽车零部件", "再生资源", "汽车"],
        "临海市": ["眼镜", "医药", "水果"], "温岭市": ["鞋业", "泵业", "五金"], "玉环市": ["阀门", "水暖洁具", "汽车零部件"],
        "天台县": ["汽车用品", "旅游"], "仙居县": ["水果", "民宿", "旅游"], "三门县": ["水产", "民宿"]}),
    "泉州市": City("泉州市", "泉州", "福建", "350500", _counties(
        "鲤城区:鲤城:350502 丰泽区:丰泽:350503 洛江区:洛江:350504 泉港区:泉港:350505 石狮市:石狮:350581 "
        "晋江市:晋江:350582 南安市:南安:350583 惠安县:惠安:350521 安溪县:安溪:350524 永春县:永春:350525 "
        "德化县:德化:350526"), {
        "鲤城区": ["餐饮", "食品"], "丰泽区": ["软件", "电子商务"], "洛江区": ["石材"], "泉港区": ["化工"],
        "石狮市": ["服装", "纺织", "进出口"], "晋江市": ["鞋业", "鞋材", "纺织", "陶瓷", "食品"],
        "南安市": ["水暖洁具", "石材"], "惠安县": ["石材", "鞋业"], "安溪县": ["茶叶", "家具"],
        "永春县": ["茶叶", "食品"], "德化县": ["陶瓷"]}),
    "佛山市": City("佛山市", "佛山", "广东", "440600", _counties(
        "禅城区:禅城:440604 南海区:南海:440605 顺德区:顺德:440606 三水区:三水:440607 高明区:高明:440608"), {
        "禅城区": ["陶瓷", "餐饮"], "南海区": ["铝型材", "纺织", "家具"], "顺德区": ["家电", "家具", "餐饮"],
        "三水区": ["食品", "化工"], "高明区": ["塑料", "化工"]}),
    "常州市": City("常州市", "常州", "江苏", "320400", _counties(
        "天宁区:天宁:320402 钟楼区:钟楼:320404 新北区:新北:320411 武进区:武进:320412 金坛区:金坛:320413 "
        "溧阳市:溧阳:320481"), {
        "武进区": ["纺织", "光伏", "汽车零部件"], "新北区": ["光伏", "软件"], "金坛区": ["茶叶", "服装"],
        "溧阳市": ["茶叶", "旅游", "民宿"], "天宁区": ["纺织"], "钟楼区": ["电子商务"]}),
}

PROVINCE_ABBR = {"江西": "赣", "江苏": "苏", "安徽": "皖", "福建": "闽", "湖南": "湘", "湖北": "鄂", "河南": "豫",
                 "河北": "冀", "四川": "川", "贵州": "黔", "云南": "滇", "广西": "桂", "广东": "粤", "山东": "鲁",
                 "山西": "晋", "重庆": "渝", "浙江": "浙", "陕西": "陕", "甘肃": "陇"}
PREFECTURE_ORIGINS = ["福建:莆田", "福建:宁德", "福建:泉州", "福建:福州", "江西:上饶", "江西:抚州", "安徽:安庆", "安徽:阜阳", "河南:信阳", "湖南:邵阳", "四川:南充", "浙江:温州", "浙江:金华", "浙江:台州", "江苏:徐州", "湖北:黄冈", "贵州:遵义", "广东:潮州", "广东:梅州", "广东:湛江"]
COUNTY_ORIGINS = ["福建:福鼎", "福建:安溪", "福建:晋江", "江西:鄱阳", "江西:余干", "河南:固始", "湖南:邵东", "安徽:无为", "四川:仪陇", "浙江:乐清", "浙江:永嘉", "浙江:苍南", "江苏:丹阳", "湖北:监利", "浙江:义乌", "广东:普宁", "福建:长乐"]


@dataclass(frozen=True)
class Origin:
    province: str
    place: str = ""  # prefecture or county; "" for a province
    level: str = "province"

    def show(self) -> str:
        return self.place or self.province


def origins_for(city: City) -> list[Origin]:
    """Origins a 异地商会 in this city can have: no home province, no place of the city itself."""
    home_places = {city.short} | {c.short for c in city.counties}
    out = [Origin(p) for p in PROVINCE_ABBR if p != city.province]
    for level, table in (("prefecture", PREFECTURE_ORIGINS), ("county", COUNTY_ORIGINS)):
        for item in table:
            prov, place = item.split(":")
            if place not in home_places:
                out.append(Origin(prov, place, level))
    return out


def origins_similar(a: Origin, b: Origin) -> bool:
    """Look-alike origins: same province at another level, or province names sharing a character."""
    return a.province == b.province or bool(set(a.province) & set(b.province))


# ---------------------------------------------------------------------------------------------
# Text banks
# ---------------------------------------------------------------------------------------------
GENERIC_CLAUSES = {
    "research": ["开展{ind}行业调查研究，向政府有关部门提出行业发展的意见和建议",
                 "调查研究本行业发展状况，为政府制定{ind}产业政策提供依据",
                 "组织行业调研，及时反映会员企业的诉求和建议"],
    "selfreg": ["制定并监督执行行规行约，规范会员经营行为", "加强行业自律，推进行业诚信体系建设",
                "组织会员订立自律公约，维护公平竞争的市场秩序"],
    "training": ["组织{tech}等方面的技术培训和经验交流", "开展{ind}从业人员职业技能培训和岗位练兵",
                 "举办{tech}培训班，提升会员企业技术和管理水平"],
    "expo": ["组织会员参加国内外{obj}展览展销活动", "举办{ind}展销会、博览会，帮助会员开拓国内外市场",
             "组团参加各类专业展会，拓展{obj}销售渠道"],
    "standard": ["参与{obj}相关标准的制定、修订和宣贯", "推动{ind}团体标准建设，开展质量提升行动",
                 "协助开展{obj}质量监督和标准化工作"],
    "rights": ["维护会员合法权益，协调会员之间的关系", "代表会员反映诉求，依法维护会员的正当权益",
               "调解会员之间的经营纠纷，促进行业和谐发展"],
    "info": ["收集发布{ind}行业信息，编印行业刊物", "建立行业信息平台，为会员提供市场和技术信息",
             "搜集整理国内外{obj}市场动态，为会员经营决策提供参考"],
    "consult": ["为会员提供法律、政策和经营管理咨询服务", "开展管理咨询、融资对接等服务",
                "提供政策解读、项目申报等咨询服务"],
    "govt": ["承接政府部门委托的{ind}行业管理事项", "受政府委托开展行业统计、行业规划等工作",
             "配合政府部门做好{ind}行业的监督管理"],
    "exchange": ["组织会员开展考察、交流与合作活动", "加强与国内外同行组织的联系与交流", "组织会员企业赴外地学习考察"],
}
TERSE_ITEMS = ["行业自律", "信息交流", "展览展销", "咨询服务", "权益维护", "行业统计", "评比表彰", "国内外交流", "业务培训"]
PURPOSES = [
    "遵守宪法、法律、法规和国家政策，遵守社会道德风尚，团结{area}{ind}企业，发挥政府与企业之间的桥梁和纽带作用，促进{ind}健康发展。",
    "本会以服务会员、服务行业、服务政府、服务社会为宗旨，推动{area}{ind}转型升级和高质量发展。",
    "坚持党的全面领导，践行社会主义核心价值观，加强行业自律，维护会员合法权益，促进{ind}繁荣发展。",
    "团结和组织{area}从事{ind}的企业和个人，提高行业整体素质，推动{ind}持续健康发展。",
]
GENERIC_SERVICES = ["行业培训", "信息咨询", "展会组织", "法律维权", "融资对接", "标准制定", "行业统计", "评优评先",
                    "人才招聘", "品牌推广", "考察交流", "政策宣讲", "商务对接"]
CHAMBER_CLAUSES = ["团结在{city}投资兴业的{origin}籍企业家，促进两地经济交流与合作", "为会员提供政策咨询、法律维权和融资服务",
                   "开展招商引资和项目对接活动", "组织会员联谊、考察和交流活动", "参与社会公益事业，助力{city}经济社会发展",
                   "搭建{origin}与{city}两地经贸合作平台", "协调会员与当地政府部门的关系，帮助会员解决生产经营中的困难",
                   "弘扬{origin}商人精神，促进会员诚信经营"]
CHAMBER_PURPOSES = ["团结{origin}在{city}的企业家，发挥桥梁纽带作用，促进两地经济共同发展。",
                    "以服务会员、服务家乡、服务{city}为宗旨，搭建{origin}籍企业家交流合作平台。",
                    "遵守国家法律法规，团结{origin}籍在{city}创业人士，维护会员合法权益，实现互利共赢。"]
CHAMBER_SERVICES = ["招商引资", "项目对接", "融资服务", "法律维权", "联谊活动", "考察交流", "公益慈善", "政策咨询"]
ACADEMIC_CLAUSES = ["开展{field}学术研究和学术交流", "普及{field}科学知识，推广先进技术和成果", "组织会员继续教育和业务培训",
                    "编辑出版学术资料", "举办学术年会和专题讲座", "开展{field}理论与实践研究，为政府决策提供咨询",
                    "表彰奖励优秀学术成果"]
ACADEMIC_PURPOSES = ["团结{area}{field}科技工作者，促进{field}学科的繁荣和发展。",
                     "坚持百花齐放、百家争鸣的方针，开展{field}学术交流，推动科技成果转化。"]
AUDIENCE_CLAUSES = {
    "企业家": ["团结企业家，弘扬优秀企业家精神", "开展企业管理经验交流和企业家培训", "维护企业和企业家合法权益",
             "开展优秀企业家评选表彰"],
    "青年企业家": ["团结青年企业家，培养新一代创业人才", "组织青年企业家学习考察和交流", "引导青年企业家健康成长",
               "搭建青年创业创新合作平台"],
    "女企业家": ["团结女企业家，发挥女性在经济建设中的作用", "开展女企业家培训和交流", "维护女企业家合法权益",
              "组织女企业家参与巾帼公益活动"],
    "新生代企业家": ["引导新生代企业家传承创业精神", "组织新生代企业家理想信念教育", "开展接班传承经验交流",
                "搭建新生代企业家交流合作平台"],
}
AUDIENCE_PURPOSES = ["团结{area}{grp}，促进企业健康发展和{grp}健康成长。", "以服务{grp}为宗旨，发挥桥梁纽带作用。"]

# Names that are silent or mislead; bodies of individuals named like a trade (the 一业一会 look-alikes).
SILENT_BRANDS = ["鼎新", "华瑞", "宏泰", "瑞祥", "金诚", "永信", "德润", "博远", "盛和", "恒信", "天成", "鑫源"]
SILENT_WORDS = ["", "", "", "装备", "科技", "实业", "智能制造", "工贸"]
BROAD_FORMS = [("产业发展促进会", "促进会"), ("联合会", "联合会"), ("促进会", "促进会"), ("发展促进会", "促进会"),
               ("商会", "商会"), ("协会", "行业协会")]
CLUB_FORMS = {"club": ["联谊会", "爱好者协会", "之友会", "俱乐部协会"], "pro": ["设计师协会", "技术人员协会", "从业者协会", "匠人联谊会"]}
CLUB_CLAUSES = {
    "club": ["组织{ind}爱好者开展交流活动", "举办{ind}知识讲座和体验活动", "组织会员开展户外采风", "开展会员互助和联谊",
             "组织会员参与志愿服务", "分享{ind}相关的生活经验"],
    "pro": ["开展{ind}技术人员技能比武和等级认定", "组织{ind}设计人员作品交流", "维护个人会员合法权益", "推动{ind}技术人才成长",
            "组织会员业务进修和学习", "评选{ind}优秀技术能手"],
}
CLUB_PURPOSES = {
    "club": ["团结{area}热爱{ind}的人士，增进彼此交流和友谊。", "以{ind}为媒，结交朋友、分享乐趣、服务社会。"],
    "pro": ["团结{area}{ind}专业技术人员，提高业务水平和职业素养。", "为{ind}技术人员搭建学习交流和成长平台。"],
}

SYNONYMS = [("推动", "促进"), ("提升", "提高"), ("开拓", "拓展"), ("帮助", "协助"), ("国内外", "海内外"),
            ("会员企业", "会员单位"), ("加强", "强化"), ("举办", "承办"), ("及时", "适时"), ("意见和建议", "建议")]
CN_NUM = "一二三四五六七八九十"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金夏方邹熊白孟秦邱侯江尹薛段雷黎史陶贺毛顾龚邵钱戴严莫孔汤应卓管"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国志文斌海波宇浩俊峰晓东红林云飞鹏辉亮成龙凤琴兰新春荣德利胜祥瑞永康宏民兵福安"
ZIHAO = "恒华鑫达盛源兴宏伟瑞丰泰安佳康信德隆昌远力辉锦荣祥宝金新天正通嘉美永东南海中联创博凯豪立科迪雅腾飞骏旺益诚和顺福明光大万长富"

S2T = str.maketrans(dict(zip(
    "协会业车门电机国发产贸销饮务资装饰筑联进农渔药医广东际经济创质术设计师证税险义宁兴湾县区华纺织运输维养龙镜阀"
    "陶叶粮饭游宾馆软动体团热气节线缝纫备卫洁艺刷护环岭应庆汉鲁苏闽赣湘鄂豫冀川黔滇桂粤渝浙陕陇饰乐",
    "協會業車門電機國發產貿銷飲務資裝飾築聯進農漁藥醫廣東際經濟創質術設計師證稅險義寧興灣縣區華紡織運輸維養龍鏡閥"
    "陶葉糧飯遊賓館軟動體團熱氣節線縫紉備衛潔藝刷護環嶺應慶漢魯蘇閩贛湘鄂豫冀川黔滇桂粵渝浙陝隴飾樂")))

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# ---------------------------------------------------------------------------------------------
# Parsed vocabulary
# ---------------------------------------------------------------------------------------------
@dataclass
class Industry:
    key: str
    gb: str
    cores: list[str]
    words: list[str]
    objs: list[str]
    techs: list[str]
    specs: list[str]
    svcs: list[str]
    entwords: list[str]
    forms: list[str]


def parse_industries(table: str = INDUSTRY_TABLE) -> dict[str, Industry]:
    out = {}
    for line in table.strip().splitlines():
        f = [x.strip() for x in line.split("|")]
        forms = f[9].split(",") if len(f) > 9 else ["协会", "行业协会", "商会", "联合会", "促进会"]
        out[f[0]] = Industry(f[0], f[1], f[2].split(","), f[3].split(","), f[4].split(";"), f[5].split(","),
                             f[6].split(";"), f[7].split(","), f[8].split(","), forms)
    return out


def parse_related(table: str = RELATED_TABLE) -> dict[str, set[str]]:
    rel: dict[str, set[str]] = defaultdict(set)
    for pair in table.split():
        a, b = pair.split("-")
        rel[a].add(b)
        rel[b].add(a)
    return rel


INDUSTRIES = parse_industries()
RELATED = parse_related()
IND_KEYS = list(INDUSTRIES)


def gb_names(path: Path | None = None) -> dict[str, str]:
    """GB/T 4754-2017 code → name, read at run time when the shared file exists."""
    path = path or Path(os.environ.get("GBT4754_CSV", "/work/shared/data/gbt4754_2017.csv"))
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str).fillna("")
    out = {}
    for div, grp, cls, name in zip(df["division"], df["group"], df["class"], df["name"]):
        out[cls or grp or div] = name
    return out


# ---------------------------------------------------------------------------------------------
# Random helpers
# ---------------------------------------------------------------------------------------------
class Rand:
    def __init__(self, seed: int):
        self.g = np.random.default_rng(seed)

    def p(self, prob: float) -> bool:
        return bool(self.g.random() < prob)

    def pick(self, seq):
        return seq[int(self.g.integers(len(seq)))]

    def int(self, lo: int, hi: int) -> int:
        return int(self.g.integers(lo, hi + 1))

    def uniform(self, lo: float, hi: float) -> float:
        return float(self.g.uniform(lo, hi))

    def sample(self, seq, k: int) -> list:
        seq = list(seq)
        k = max(0, min(k, len(seq)))
        return [seq[i] for i in self.g.choice(len(seq), size=k, replace=False)] if k else []

    def weighted(self, items, weights):
        w = np.asarray(weights, dtype=float)
        return items[int(self.g.choice(len(items), p=w / w.sum()))]

    def shuffle(self, seq: list) -> list:
        seq = list(seq)
        self.g.shuffle(seq)
        return seq

    def date(self, y0: int, y1: int) -> date:
        start = date(y0, 1, 1)
        return start + timedelta(days=self.int(0, (date(y1, 12, 31) - start).days))


def credit_code(rng: Rand, head: str, adcode: str) -> str:
    """A well-formed 统一社会信用代码 (GB 32100-2015 check character)."""
    org = ("MA" + "".join(rng.pick(CODE_CHARS) for _ in range(7))) if rng.p(0.5) else \
        "".join(rng.pick(CODE_CHARS[:10]) for _ in range(9))
    body = head + adcode + org
    s = sum(CODE_CHARS.index(c) * w for c, w in zip(body, CODE_WEIGHTS))
    return body + CODE_CHARS[(31 - s % 31) % 31]


def person_name(rng: Rand) -> str:
    return rng.pick(SURNAMES) + "".join(rng.pick(GIVEN) for _ in range(rng.pick([1, 2, 2, 2])))


def paraphrase(text: str, rng: Rand) -> str:
    for a, b in SYNONYMS:
        if rng.p(0.5):
            text = text.replace(a, b) if rng.p(0.5) else text.replace(b, a)
    return text


# ---------------------------------------------------------------------------------------------
# Enterprises and member pools
# ---------------------------------------------------------------------------------------------
@dataclass
class Member:
    name: str
    code: str
    county: str  # county-level unit name
    person: str
    sales: float | None
    kind: str = "企业"


class Pools:
    """Enterprises per (industry, county), created lazily; related industries share a few firms."""

    def __init__(self, city: City, rng: Rand):
        self.city, self.rng = city, rng
        self.pools: dict[tuple[str, str], list[Member]] = {}
        self.names: set[str] = set()

    def _new(self, key: str, county: County) -> Member:
        rng, city = self.rng, self.city
        ind = INDUSTRIES[key]
        for _ in range(50):
            prefix = rng.weighted([county.name, city.name + county.short, city.short, city.province, county.short],
                                  [.4, .15, .15, .2, .1])
            zihao = rng.pick(ZIHAO) + rng.pick(ZIHAO)
            if key in MEMBER_SUFFIX:
                name = prefix + zihao + rng.pick(MEMBER_SUFFIX[key])
            else:
                name = prefix + zihao + rng.pick(ind.entwords) + rng.weighted(
                    ["有限公司", "股份有限公司", "有限责任公司", "厂"], [.6, .15, .1, .15])
            if name not in self.names:
                break
        self.names.add(name)
        sales = round(float(rng.g.lognormal(7.5, 1.3)), 1)
        return Member(name, credit_code(rng, "91", county.code), county.name, person_name(rng), sales)

    def get(self, key: str, county_name: str) -> list[Member]:
        k = (key, county_name)
        if k not in self.pools:
            county = self.city.county(county_name)
            special = key in self.city.specialties.get(county_name, [])
            size = self.rng.int(50, 110) if special else self.rng.int(12, 35)
            pool = [self._new(key, county) for _ in range(size)]
            for rel in sorted(RELATED.get(key, ())):
                other = self.pools.get((rel, county_name))
                if other:
                    pool += self.rng.sample(other, max(1, len(other) // 8))
            self.pools[k] = pool
        return self.pools[k]

    def everyone(self, county_name: str | None = None) -> list[Member]:
        seen, out = set(), []
        for (key, c), pool in sorted(self.pools.items()):
            if county_name and c != county_name:
                continue
            for m in pool:
                if m.name not in seen:
                    seen.add(m.name)
                    out.append(m)
        return out


# ---------------------------------------------------------------------------------------------
# Associations
# ---------------------------------------------------------------------------------------------
@dataclass
class Entity:
    kind: str  # industry / chamber / audience / academic
    key: object  # industry key, Origin, audience key
    region: str  # city name or county name
    nature: str = "assoc"  # assoc / academic
    status: str = "正常"
    eid: str = ""
    group: str = ""
    name: str = ""
    body: str = ""
    type: str = ""
    region_col: str = ""
    industry: str = ""
    scope: str = ""
    purpose: str = ""
    services: str = ""
    members: list[tuple[Member, str]] = field(default_factory=list)
    admin: dict = field(default_factory=dict)
    plain: bool = True  # False: a name that says nothing of the trade or misleads, or a trade-named club
    borrowed: str = ""  # the industry whose name core a misnamed body carries

    @property
    def slot(self) -> tuple:
        return (self.kind, self.key, self.region, self.nature)

    @property
    def active(self) -> bool:
        return self.status == "正常"


def _industry_body(ind: Industry, rng: Rand) -> tuple[str, str]:
    core = rng.pick(ind.cores)
    weights = {"协会": .42, "行业协会": .2, "商会": .14, "联合会": .12, "促进会": .12}
    form = rng.weighted(ind.forms, [weights[f] for f in ind.forms])
    trade = core.endswith(("行业", "产业"))
    if form == "协会":
        return core + "协会", "行业协会"
    if form == "行业协会":
        return core + ("协会" if trade or core.endswith("业") else "行业协会"), "行业协会"
    if form == "商会":
        return core + "商会", "商会"
    if form == "联合会":
        return core + ("联合会" if trade or rng.p(.5) else "行业联合会"), "联合会"
    return core + ("发展促进会" if rng.p(.5) else "促进会"), "促进会"


def _chamber_body(o: Origin, rng: Rand) -> str:
    if o.level == "province":
        a = PROVINCE_ABBR[o.province]
        return rng.pick([f"{o.province}商会", f"{o.province}商会", f"{a}商会", f"{a}商联合会"])
    return rng.pick([f"{o.province}{o.place}商会", f"{o.place}商会"])


def make_body(ent: Entity, rng: Rand) -> tuple[str, str]:
    """The name without region prefix, and the organisation type."""
    if ent.kind == "industry":
        return _industry_body(INDUSTRIES[ent.key], rng)
    if ent.kind == "chamber":
        return _chamber_body(ent.key, rng), "异地商会"
    if ent.kind == "academic":
        body = rng.pick(ACADEMIC[ent.key])
        return body, "学会" if body.endswith("学会") else "研究会"
    body = rng.pick(AUDIENCE[ent.key])
    return body, "商会" if body.endswith("商会") else "联合会" if body.endswith("联合会") else ""


def region_prefix(ent: Entity, city: City, rng: Rand, omit_p: float = .08) -> str:
    if rng.p(omit_p):
        return ""
    if ent.region == city.name:
        return rng.weighted([city.name, city.short, city.province + "省" + city.name], [.78, .17, .05])
    c = city.county(ent.region)
    nested = .3 if c.name.endswith("区") else .1
    return rng.weighted([c.name, city.name + c.name, c.short, city.short + c.short], [.7 - nested, nested, .22, .08])


def region_column(ent: Entity, city: City, prefix: str, rng: Rand) -> str:
    if ent.region == city.name:
        options, w = [city.name, "市本级", ""], [.75, .1, .15]
    else:
        c = city.county(ent.region)
        options, w = [c.name, c.short, ""], [.75, .1, .15]
    if not prefix:
        options, w = options[:2], w[:2]
    return rng.weighted(options, w)


def noisy(name: str, prefix: str, rng: Rand, p: float = .05) -> str:
    """Traditional characters or a full-width space, now and then."""
    if rng.p(p):
        name = name.translate(S2T)
    if rng.p(p) and prefix:
        name = name[:len(prefix)] + "\u3000" + name[len(prefix):] if rng.p(.7) else name + "\u3000"
    return name


def name_entity(ent: Entity, city: City, rng: Rand, taken: set[str], omit_p: float = .08, noise_p: float = .05) -> None:
    for _ in range(15):
        body, typ = make_body(ent, rng)
        if body not in taken:
            break
    prefix = region_prefix(ent, city, rng, omit_p)
    ent.body, ent.type = body, typ if rng.p(.7) else ""
    if ent.kind == "chamber" and rng.p(.5):
        ent.type = "异地商会"
    ent.name = noisy(prefix + body, prefix, rng, noise_p)
    ent.region_col = region_column(ent, city, prefix, rng)


# --- texts --------------------------------------------------------------------------------------
def _area(ent: Entity, city: City, rng: Rand) -> str:
    if ent.region == city.name:
        return rng.pick(["全市", "本市", city.name])
    c = city.county(ent.region)
    return rng.pick([{"区": "全区", "县": "全县", "市": "全市"}[c.name[-1]], c.name, "本地"])


def _format(clauses: list[str], rng: Rand) -> str:
    style = rng.weighted(["plain", "cn", "num"], [.55, .25, .2])
    if style == "cn":
        text = "".join(f"（{CN_NUM[i % 10]}）{c}；" for i, c in enumerate(clauses))[:-1] + "。"
    elif style == "num":
        text = "".join(f"{i + 1}.{c}；" for i, c in enumerate(clauses))[:-1] + "。"
    else:
        text = "；".join(clauses) + "。"
    if rng.p(.15):
        text = "本会业务范围：" + text
    if rng.p(.2):
        text = text[:-1] + "；其他符合章程规定的业务活动。"
    return text


def _fill(template: str, ind: Industry, rng: Rand) -> str:
    return template.format(ind=rng.pick(ind.words), obj=rng.pick(ind.objs), tech="、".join(rng.sample(ind.techs, 2)))


def industry_texts(ent: Entity, city: City, rng: Rand) -> tuple[str, str, str]:
    ind = INDUSTRIES[ent.key]
    if rng.p(.1):
        items = [t + "培训" for t in rng.sample(ind.techs, 2)] + rng.sample(TERSE_ITEMS, 4)
        scope = "、".join(rng.shuffle(items)) + "。"
    else:
        meanings = rng.sample(list(GENERIC_CLAUSES), rng.int(3, 5))
        clauses = [paraphrase(_fill(rng.pick(GENERIC_CLAUSES[m]), ind, rng), rng) for m in meanings]
        clauses += [paraphrase(s, rng) for s in rng.sample(ind.specs, rng.int(1, len(ind.specs)))]
        scope = _format(rng.shuffle(clauses), rng)
    purpose = rng.pick(PURPOSES).format(area=_area(ent, city, rng), ind=rng.pick(ind.words))
    services = rng.sample(ind.svcs, rng.int(1, 3)) + rng.sample(GENERIC_SERVICES, rng.int(1, 4))
    return scope, purpose, rng.pick(["；", ";"]).join(rng.shuffle(services))


def chamber_texts(ent: Entity, city: City, rng: Rand) -> tuple[str, str, str]:
    o: Origin = ent.key
    origin = rng.pick([o.show(), o.show(), PROVINCE_ABBR.get(o.province, o.province) + "商" if o.level == "province" else o.show()])
    where = city.name if ent.region == city.name else ent.region
    clauses = [c.format(city=where, origin=origin) for c in rng.sample(CHAMBER_CLAUSES, rng.int(3, 6))]
    purpose = rng.pick(CHAMBER_PURPOSES).format(city=where, origin=origin)
    return _format(clauses, rng), purpose, "；".join(rng.sample(CHAMBER_SERVICES, rng.int(2, 5)))


def academic_texts(ent: Entity, city: City, rng: Rand) -> tuple[str, str, str]:
    fld = ent.body.replace("学会", "").replace("研究会", "") or INDUSTRIES[ent.key].words[0]
    clauses = [c.format(field=fld) for c in rng.sample(ACADEMIC_CLAUSES, rng.int(3, 5))]
    purpose = rng.pick(ACADEMIC_PURPOSES).format(area=_area(ent, city, rng), field=fld)
    return _format(clauses, rng), purpose, "；".join(rng.sample(["学术交流", "继续教育", "科普宣传", "课题研究", "学术年会"], 3))


def audience_texts(ent: Entity, city: City, rng: Rand) -> tuple[str, str, str]:
    own = AUDIENCE_CLAUSES[ent.key]
    clauses = rng.sample(own, rng.int(2, 4)) + [paraphrase(c, rng) for c in rng.sample(GENERIC_CLAUSES["consult"] + GENERIC_CLAUSES["exchange"], 2)]
    purpose = rng.pick(AUDIENCE_PURPOSES).format(area=_area(ent, city, rng), grp=ent.key)
    return _format(rng.shuffle(clauses), rng), purpose, "；".join(rng.sample(GENERIC_SERVICES, 3))


TEXTS = {"industry": industry_texts, "chamber": chamber_texts, "academic": academic_texts, "audience": audience_texts}


def fill_texts(ent: Entity, city: City, rng: Rand, sparse: float) -> None:
    scope, purpose, services = TEXTS[ent.kind](ent, city, rng)
    ent.scope = "" if rng.p(sparse) else scope
    ent.purpose = "" if rng.p(sparse * 1.5) else purpose
    ent.services = "" if rng.p(sparse * 1.2) else services


def declared_industry(ent: Entity, rng: Rand, gb: dict[str, str]) -> str:
    if ent.kind == "chamber":
        return rng.weighted(["", "异地商会", "商务服务业"], [.6, .25, .15])
    if ent.kind == "audience":
        return rng.weighted(["", "企业管理服务"], [.7, .3])
    if ent.kind == "academic":
        return rng.weighted(["", "学术研究", INDUSTRIES[ent.key].words[0]], [.6, .2, .2])
    ind = INDUSTRIES[ent.key]
    gbname = gb.get(ind.gb, "")
    return rng.weighted([ind.key, gbname or ind.key, rng.pick(ind.words), ""], [.35, .25, .1, .3])


def admin_fields(ent: Entity, rng: Rand) -> dict:
    if not ent.active:
        founded = rng.date(1990, 2008)
        return {"founded": founded.isoformat(), "staff_fulltime": 0, "has_office": "否", "funding": "",
                    "last_election": rng.date(2005, 2015).isoformat(), "term_years": 5, "inspection": "未参检", "party_members": 0}
    founded = rng.date(1988, 2022)
    last = max(founded, rng.date(2015, 2024))
    return {"founded": founded.isoformat(), "staff_fulltime": rng.weighted([0, 1, 2, 3, 5, 8], [.25, .3, .2, .12, .08, .05]),
                "has_office": rng.weighted(["是", "否"], [.82, .18]),
                "funding": rng.weighted(["会费", "会费、政府购买服务", "会费、社会捐赠", ""], [.5, .25, .1, .15]),
                "last_election": last.isoformat(), "term_years": rng.weighted([5, 4, 3], [.8, .15, .05]),
                "inspection": rng.weighted(["合格", "基本合格", "不合格", "未参检"], [.75, .12, .05, .08]),
                "party_members": rng.weighted([0, 1, 3, 5, 9], [.3, .2, .25, .15, .1])}


# --- members ------------------------------------------------------------------------------------
def candidate_members(ent: Entity, city: City, pools: Pools, rng: Rand) -> list[Member]:
    if ent.kind == "industry":
        if ent.region != city.name:
            cands = list(pools.get(ent.key, ent.region))
            others = [c.name for c in city.counties if c.name != ent.region and (ent.key, c.name) in pools.pools]
            for c in rng.sample(others, 1):
                cands += rng.sample(pools.get(ent.key, c), 2)  # a few out-of-region members
            return cands
        special = [c for c, keys in city.specialties.items() if ent.key in keys]
        counties = special + [c.name for c in city.counties if c.name not in special and rng.p(.5)]
        return [m for c in counties or [city.counties[0].name] for m in pools.get(ent.key, c)]
    scope = None if ent.region == city.name else ent.region
    everyone = pools.everyone(scope) or pools.everyone()
    if ent.kind == "audience" and ent.key == "企业家":
        return sorted(everyone, key=lambda m: -(m.sales or 0))[: max(40, len(everyone) // 8)]
    return everyone


def academic_members(ent: Entity, city: City, rng: Rand, size: int, pools: Pools) -> list[Member]:
    counties = [c.name for c in city.counties] if ent.region == city.name else [ent.region]
    people = [Member(person_name(rng), "", rng.pick(counties), "", None, "个人") for _ in range(size)]
    for m in people:
        m.person = m.name
    extra = rng.sample(pools.everyone(), rng.int(0, max(1, size // 12)))
    return people + extra


def member_size(ent: Entity, rng: Rand) -> int:
    mu = {"industry": 3.3, "chamber": 3.6, "audience": 3.8, "academic": 3.4}[ent.kind]
    return int(np.clip(rng.g.lognormal(mu, .5), 6, 160))


def assign_roles(members: list[Member], rng: Rand) -> list[tuple[Member, str]]:
    order = sorted(members, key=lambda m: -((m.sales or 0) * rng.uniform(.3, 1.7)))
    n = len(order)
    n_vp = int(np.clip(round(n * .15), 1, 12))
    roles = ["会长"] + ["常务副会长"] * (rng.int(0, 2) if n > 15 else 0)
    roles += ["副会长"] * n_vp + (["监事长"] if n > 20 and rng.p(.5) else [])
    roles += ["理事"] * int(n * .25)
    roles += ["会员"] * max(0, n - len(roles))
    return list(zip(order, roles[:n]))


def fill_members(ent: Entity, city: City, pools: Pools, rng: Rand, sparse: float,
                 sibling: Entity | None = None, overlap: tuple[float, float] = (.1, .6)) -> None:
    if rng.p(sparse):
        ent.members = []
        return
    size = member_size(ent, rng)
    if ent.kind == "academic":
        chosen = academic_members(ent, city, rng, size, pools)
    else:
        cands = candidate_members(ent, city, pools, rng)
        chosen = []
        if sibling and sibling.members:
            base = [m for m, _ in sibling.members]
            chosen = rng.sample(base, round(min(size, len(base)) * rng.uniform(*overlap)))
        names = {m.name for m in chosen}
        rest = [m for m in cands if m.name not in names]
        chosen += rng.sample(rest, size - len(chosen))
        chosen += rng.sample(pools.everyone(), rng.int(0, 2))  # firms join several associations
        chosen = list({m.name: m for m in chosen}.values())
    ent.members = assign_roles(chosen, rng)


def membership_rows(ent: Entity, city: City, rng: Rand) -> list[dict]:
    rows = []
    for m, role in ent.members:
        name = m.name
        if m.kind == "企业" and rng.p(.05):
            for pre in (m.county, city.name):
                if name.startswith(pre):
                    name = name[len(pre):]
                    break
        c = city.county(m.county)
        rows.append({
            "association_id": ent.eid, "member_name": name,
            "member_id": m.code if m.code and rng.p(.8) else "",
            "member_kind": m.kind if rng.p(.85) else "",
            "member_region": rng.weighted([m.county, c.short if c else m.county, ""], [.7, .1, .2]),
            "role": role, "person": m.person if role != "会员" or rng.p(.4) else "",
            "annual_sales": m.sales if m.sales is not None and rng.p(.7) else "",
        })
    return rows


# ---------------------------------------------------------------------------------------------
# Registry plan
# ---------------------------------------------------------------------------------------------
def plan_slots(city: City, rng: Rand, n_slots: int) -> list[tuple]:
    slots: list[tuple] = []
    seen: set[tuple] = set()

    def add(kind, key, region, nature="assoc"):
        s = (kind, key, region, nature)
        if s not in seen:
            seen.add(s)
            slots.append(s)

    for county, keys in city.specialties.items():
        for k in keys:
            add("industry", k, county)
    for k in rng.sample(IND_KEYS, int(len(IND_KEYS) * .55)) + ["进出口", "电子商务", "律师", "注册会计师"]:
        add("industry", k, city.name)
    origins = origins_for(city)
    provinces = [o for o in origins if o.level == "province"]
    prefectures = [o for o in origins if o.level == "prefecture"]
    for o in rng.sample(provinces, rng.int(7, 11)) + rng.sample(prefectures, rng.int(3, 6)):
        add("chamber", o, city.name)
    for c in rng.sample(city.counties, min(len(city.counties), rng.int(3, 5))):
        for o in rng.sample(origins, rng.int(1, 3)):
            add("chamber", o, c.name)
    for k in AUDIENCE:
        add("audience", k, city.name)
    for c in city.counties:
        if rng.p(.5):
            add("audience", "企业家", c.name)
        if rng.p(.35):
            add("audience", "青年企业家", c.name)
    city_inds = [s[1] for s in slots if s[0] == "industry" and s[2] == city.name]
    for k in rng.sample([k for k in ACADEMIC if k in city_inds], rng.int(4, 7)):
        add("academic", k, city.name, "academic")
    common = [k for k in IND_KEYS if k not in CITY_ONLY]
    weights = [1.0] * len(city.counties)
    tries = 0
    while len(slots) < n_slots and tries < 20000:
        tries += 1
        if rng.p(.25):
            add("industry", rng.pick(IND_KEYS), city.name)
        else:
            c = rng.weighted(city.counties, weights)
            add("industry", rng.pick(common), c.name)
    return slots[:max(n_slots, 0)] if len(slots) > n_slots else slots


@dataclass
class Registry:
    city: City
    entities: list[Entity]
    pools: Pools
    shared: list[tuple[Entity, Entity]]  # constructed heavy-overlap pairs of different industries


def _sibling_overlap(ent: Entity, rng: Rand) -> tuple[float, float]:
    return (.1, .6) if ent.kind != "chamber" else (.2, .7)


def _named(ent: Entity, body: str, typ: str, city: City, rng: Rand) -> None:
    prefix = region_prefix(ent, city, rng, omit_p=.05)
    ent.body, ent.type = body, typ if rng.p(.7) else ""
    ent.name = prefix + body
    ent.region_col = region_column(ent, city, prefix, rng)


def plant_silent(entities: list[Entity], city: City, pools: Pools, rng: Rand, k: int) -> list[Entity]:
    """Per round, beside a trade association of the registry: a duplicate whose name says nothing of the trade
    or misleads (鼎新装备 + 促进会) with the trade's charter and 60–80% of its members; a body of another trade
    named with this trade's core and a broad form (not a duplicate: scope and members are the other trade's);
    a club or professional body of individuals named like the trade (not a duplicate: another nature)."""
    bases = [e for e in entities if e.active and e.kind == "industry" and e.nature == "assoc" and len(e.members) >= 10]
    taken = {e.name for e in entities}
    out = []

    def name(ent: Entity, options: list[tuple[str, str]]) -> None:
        for _ in range(20):
            body, typ = rng.pick(options)
            _named(ent, body, typ, city, rng)
            if ent.name not in taken:
                break
        taken.add(ent.name)

    for base in rng.sample(bases, min(k, len(bases))):
        dup = Entity("industry", base.key, base.region, plain=False)
        name(dup, [(b + w + f, t) for b in SILENT_BRANDS for w in SILENT_WORDS for f, t in BROAD_FORMS])
        fill_texts(dup, city, rng, 0)
        fill_members(dup, city, pools, rng, 0, sibling=base, overlap=(.6, .8))
        other = rng.pick([x for x in IND_KEYS if x != base.key and x not in RELATED.get(base.key, set())
                          and x not in CITY_ONLY and x not in ("进出口", "电子商务")])
        misnamed = Entity("industry", other, base.region, plain=False, borrowed=base.key)
        name(misnamed, [(c + f, t) for c in INDUSTRIES[base.key].cores[:2] for f, t in BROAD_FORMS[:4]])
        fill_texts(misnamed, city, rng, 0)
        fill_members(misnamed, city, pools, rng, 0)
        nature = rng.pick(["club", "pro"])
        club = Entity("industry", base.key, base.region, nature="club", plain=False)
        name(club, [(c + f, "") for c in INDUSTRIES[base.key].cores[:2] for f in CLUB_FORMS[nature]])
        ind = INDUSTRIES[base.key]
        clauses = [c.format(ind=rng.pick(ind.words)) for c in rng.sample(CLUB_CLAUSES[nature], rng.int(3, 5))]
        club.scope = _format(clauses + [paraphrase(rng.pick(ind.specs), rng)], rng)
        club.purpose = rng.pick(CLUB_PURPOSES[nature]).format(area=_area(club, city, rng), ind=rng.pick(ind.words))
        club.services = "；".join(rng.sample(["会员联谊", "技能交流", "知识讲座", "公益活动", "作品展示", "业务进修"], 3))
        people = academic_members(club, city, rng, member_size(club, rng), pools)
        club.members = assign_roles(people, rng)
        out += [dup, misnamed, club]
    return out


def build_registry(city: City, n: int, rng: Rand, gb: dict[str, str], silent: int = 0) -> Registry:
    pools = Pools(city, rng)
    n_dissolved = max(2, round(n * .03))
    n_slots = round(n * .82)
    slots = plan_slots(city, rng, n_slots)
    extras = n - len(slots) - n_dissolved
    eligible = [s for s in slots if s[0] != "academic"]
    dup_slots = rng.sample(eligible, max(0, int(np.ceil(extras * .85))))
    counts = {s: 1 for s in slots}
    for s in dup_slots:
        counts[s] += 1
    for _ in range(extras - len(dup_slots)):
        counts[rng.pick(dup_slots)] += 1
    # prepare pools so that chambers and audience groups find firms
    for s in slots:
        if s[0] == "industry" and s[2] != city.name:
            pools.get(s[1], s[2])
    entities: list[Entity] = []
    by_slot: dict[tuple, list[Entity]] = defaultdict(list)
    for s in slots:
        taken: set[str] = set()
        for k in range(counts[s]):
            ent = Entity(kind=s[0], key=s[1], region=s[2], nature=s[3])
            later = k > 0
            name_entity(ent, city, rng, taken, omit_p=.12 if later else .06)
            taken.add(ent.body)
            fill_texts(ent, city, rng, sparse=.22 if later else .08)
            fill_members(ent, city, pools, rng, sparse=.18 if later else .06,
                         sibling=by_slot[s][0] if later else None, overlap=_sibling_overlap(ent, rng))
            by_slot[s].append(ent)
            entities.append(ent)
    for s in rng.sample([s for s in slots if s[0] != "academic"], n_dissolved):
        ent = Entity(kind=s[0], key=s[1], region=s[2], nature=s[3], status=rng.weighted(["注销", "撤销"], [.8, .2]))
        name_entity(ent, city, rng, set())
        if rng.p(.3):
            ent.name, ent.body, ent.region_col = by_slot[s][0].name, by_slot[s][0].body, by_slot[s][0].region_col
        fill_texts(ent, city, rng, sparse=.3)
        fill_members(ent, city, pools, rng, sparse=.5, sibling=by_slot[s][0])
        entities.append(ent)
    shared = make_shared_members(entities, city, pools, rng, k=max(4, n // 50))
    if silent:
        entities += plant_silent(entities, city, pools, rng, silent)
    for ent in entities:
        ent.industry = declared_industry(ent, rng, gb)
        ent.admin = admin_fields(ent, rng)
    for ent in entities:  # a silent or misleading name seldom comes with a telling declared industry
        if not ent.plain:
            ent.industry = rng.weighted(["", "综合", ent.industry], [3, 2, 1])
    entities = rng.shuffle(entities)
    used: set[str] = set()
    for gi, ent in enumerate(entities):
        code = city.code if ent.region == city.name else city.county(ent.region).code
        while not ent.eid or ent.eid in used:
            ent.eid = credit_code(rng, "51", code)
        used.add(ent.eid)
    assign_groups(entities)
    return Registry(city, entities, pools, shared)


def make_shared_members(entities: list[Entity], city: City, pools: Pools, rng: Rand, k: int) -> list[tuple[Entity, Entity]]:
    """Copy many members of a manufacturing association into a different-industry one of the same region."""
    hubs = [e for e in entities if e.active and e.kind == "industry" and e.key in ("进出口", "电子商务")]
    out = []
    for hub in rng.shuffle(hubs):
        donors = [e for e in entities if e.active and e.kind == "industry" and e.region == hub.region
                  and e.key not in ("进出口", "电子商务") and e.key not in RELATED.get(hub.key, set())
                  and len(e.members) >= 15]
        for donor in rng.sample(donors, 2):
            if len(out) >= k:
                return out
            if not hub.members:
                fill_members(hub, city, pools, rng, sparse=0)
            have = {m.name for m, _ in hub.members}
            add = [m for m, _ in donor.members if m.name not in have]
            add = rng.sample(add, int(len(donor.members) * rng.uniform(.45, .75)))
            hub.members = assign_roles([m for m, _ in hub.members] + add, rng)
            out.append((donor, hub))
    return out


def assign_groups(entities: list[Entity]) -> None:
    slot_group: dict[tuple, str] = {}
    for ent in entities:
        if ent.active:
            ent.group = slot_group.setdefault(ent.slot, f"G{len(slot_group) + 1:04d}")
    k = 0
    for ent in entities:
        if not ent.active:
            k += 1
            ent.group = f"D{k:04d}"


# ---------------------------------------------------------------------------------------------
# Labels for registry pairs
# ---------------------------------------------------------------------------------------------
def near_kind(a: Entity, b: Entity, city: City, shared: set[frozenset]) -> str | None:
    if not (a.active and b.active):
        return "inactive" if a.slot == b.slot else None
    if frozenset((a.eid, b.eid)) in shared:
        return "shared_members"
    if a.kind == b.kind and a.key == b.key and a.nature == b.nature and a.region != b.region:
        return "near_level" if city.name in (a.region, b.region) else "near_region"
    if a.region != b.region:
        return None
    if a.kind == b.kind == "industry" and a.key == b.key and "club" in (a.nature, b.nature) and a.nature != b.nature:
        return "near_nature"
    if a.kind == b.kind == "industry" and a.slot != b.slot and (a.borrowed == b.key or b.borrowed == a.key):
        return "near_evidence"
    if a.kind in ("industry", "academic") and b.kind in ("industry", "academic"):
        if a.key == b.key and a.nature != b.nature:
            return "near_form"
        if a.nature == b.nature == "assoc" and b.key in RELATED.get(a.key, ()):
            return "near_industry"
    if a.kind == b.kind == "chamber" and a.key != b.key and origins_similar(a.key, b.key):
        return "near_origin"
    if a.kind == b.kind == "audience" and a.key != b.key:
        return "audience"
    return None


def pair_labels(reg: Registry, rng: Rand, n_random: int) -> pd.DataFrame:
    shared = {frozenset((a.eid, b.eid)) for a, b in reg.shared}
    rows, negatives = [], set()
    for a, b in itertools.combinations(reg.entities, 2):
        if a.active and b.active and a.group == b.group:
            rows.append((a.eid, b.eid, 1, "duplicate" if a.plain and b.plain else "duplicate_silent"))
            continue
        kind = near_kind(a, b, reg.city, shared)
        if kind:
            rows.append((a.eid, b.eid, 0, kind))
            negatives.add(frozenset((a.eid, b.eid)))
    ents = reg.entities
    tries = 0
    added = 0
    while added < n_random and tries < n_random * 20:
        tries += 1
        a, b = rng.sample(ents, 2)
        key = frozenset((a.eid, b.eid))
        if key in negatives or (a.group == b.group):
            continue
        negatives.add(key)
        rows.append((a.eid, b.eid, 0, "random"))
        added += 1
    return pd.DataFrame(rows, columns=["id_a", "id_b", "label", "kind"])


# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------
@dataclass
class AppLabel:
    verdict: str
    expected: str
    kind: str


class AppMaker:
    """New applications with known verdicts, built against a finished registry."""

    def __init__(self, reg: Registry, rng: Rand, gb: dict[str, str]):
        self.reg, self.rng, self.gb, self.city = reg, rng, gb, reg.city
        self.active: dict[tuple, list[Entity]] = defaultdict(list)
        for e in reg.entities:
            if e.active:
                self.active[e.slot].append(e)
        self.used: set[tuple] = set()
        self.apps: list[tuple[Entity, AppLabel]] = []
        self.regions = [self.city.name] + [c.name for c in self.city.counties]

    # --- conditions --------------------------------------------------------------------------
    def present(self, slot: tuple) -> bool:
        return slot in self.active or slot in self.used

    def industries_in(self, region: str) -> set[str]:
        keys = {s[1] for s in self.active if s[0] == "industry" and s[2] == region}
        return keys | {s[1] for s in self.used if s[0] == "industry" and s[2] == region}

    def free_industry(self, key: str, region: str, allow_related: bool = False) -> bool:
        if key in CITY_ONLY and region != self.city.name:
            return False
        if self.present(("industry", key, region, "assoc")):
            return False
        return allow_related or not (RELATED.get(key, set()) & self.industries_in(region))

    # --- building ----------------------------------------------------------------------------
    def _emit(self, ent: Entity, label: AppLabel, sibling: Entity | None = None, sparse: float = .05,
              overlap: tuple[float, float] = (.1, .5), taken: set[str] | None = None) -> Entity:
        name_entity(ent, self.city, self.rng, taken or set(), omit_p=.08, noise_p=.06)
        fill_texts(ent, self.city, self.rng, sparse)
        fill_members(ent, self.city, self.reg.pools, self.rng, sparse, sibling=sibling, overlap=overlap)
        ent.industry = declared_industry(ent, self.rng, self.gb)
        ent.eid = f"SQ{len(self.apps) + 1:03d}"
        self.used.add(ent.slot)
        self.apps.append((ent, label))
        return ent

    def duplicate(self, slot: tuple) -> None:
        target = self.active[slot][0]
        kind = self.rng.pick(["dup_variant", "dup_variant", "dup_sparse", "dup_noisy", "dup_noregion"])
        ent = Entity(kind=slot[0], key=slot[1], region=slot[2], nature=slot[3])
        taken = {e.body for e in self.active[slot]}
        if kind == "dup_sparse":
            name_entity(ent, self.city, self.rng, taken)
            ent.eid = f"SQ{len(self.apps) + 1:03d}"
            ent.industry = declared_industry(ent, self.rng, self.gb)
            self.apps.append((ent, AppLabel("duplicate", target.eid, kind)))
            return
        ent = self._emit(ent, AppLabel("duplicate", target.eid, f"{kind}:{slot[0]}"), sibling=target, taken=taken)
        if kind == "dup_noisy":
            ent.name = ent.name.translate(S2T).replace(self.city.name, self.city.short, 1)
        if kind == "dup_noregion":
            for pre in sorted({self.city.province + "省" + self.city.name, self.city.name, self.city.short}
                              | {x for c in self.city.counties for x in (self.city.name + c.name, self.city.short + c.short, c.name, c.short)},
                              key=len, reverse=True):
                if ent.name.startswith(pre):
                    ent.name = ent.name[len(pre):].lstrip("\u3000")
                    break
            ent.region_col = ent.region

    def clear_industry(self, kind: str) -> bool:
        """A clear application: new_industry, near_level (other level has it) or near_region (another county has it)."""
        city = self.city.name
        regions = self.rng.shuffle(self.regions)
        if kind == "near_region":
            regions = [r for r in regions if r != city]
        keys = self.rng.shuffle(IND_KEYS)
        if kind == "new_industry":
            anywhere = {s[1] for s in list(self.active) + list(self.used) if s[0] == "industry"}
            keys = [k for k in keys if k not in anywhere] + [k for k in keys if k in anywhere]
        for key in keys:
            if key in ("进出口", "电子商务"):
                continue
            for region in regions:
                if not self.free_industry(key, region):
                    continue
                other_level = any(self.present(("industry", key, r, "assoc")) for r in self.regions
                                  if r != region and city in (region, r))
                other_county = any(s[0] == "industry" and s[1] == key and s[2] not in (region, city) for s in self.active)
                if (kind == "near_level" and not other_level) or (kind == "near_region" and not other_county):
                    continue
                if kind == "new_industry" and (other_level or other_county):
                    kind = "new_here"  # none in this region, but the industry exists elsewhere in the city
                ent = self._emit(Entity("industry", key, region), AppLabel("clear", "", kind))
                others = [e for s, es in self.active.items() if s[0] == "industry" and s[1] == key for e in es]
                if others and ent.members:  # keep overlap with the other level / county modest
                    keep = {m.name for o in others for m, _ in o.members}
                    ent.members = assign_roles([m for m, _ in ent.members if m.name not in keep or self.rng.p(.2)], self.rng)
                return True
        return False

    def related_review(self) -> bool:
        for region in self.rng.shuffle(self.regions):
            have = self.industries_in(region)
            for key in self.rng.shuffle(IND_KEYS):
                rel = {k for k in have if frozenset((k, key)) in CLEAR_RELATED}
                if rel and self.free_industry(key, region, allow_related=True):
                    self._emit(Entity("industry", key, region), AppLabel("review", "", "related_industry:" + "/".join(sorted(rel))))
                    return True
        return False

    def shared_review(self) -> bool:
        donors = [e for es in self.active.values() for e in es if e.kind == "industry" and len(e.members) >= 20]
        for donor in self.rng.shuffle(donors):
            for key in self.rng.shuffle(["进出口", "电子商务", "物流", "广告", "包装", "软件"]):
                if key == donor.key or key in RELATED.get(donor.key, set()) or not self.free_industry(key, donor.region):
                    continue
                ent = self._emit(Entity("industry", key, donor.region), AppLabel("review", "", f"shared_members:{donor.eid}"),
                                 sparse=0)
                base = [m for m, _ in donor.members]
                take = self.rng.sample(base, int(len(base) * self.rng.uniform(.55, .8)))
                ent.members = assign_roles(take + [m for m, _ in ent.members][: max(3, len(take) // 3)], self.rng)
                return True
        return False

    def batch_pair(self) -> bool:
        for region in self.rng.shuffle(self.regions):
            for key in self.rng.shuffle(IND_KEYS):
                if key in ("进出口", "电子商务") or not self.free_industry(key, region):
                    continue
                first = self._emit(Entity("industry", key, region), AppLabel("review", "", "batch_duplicate"))
                self.used.discard(first.slot)
                self._emit(Entity("industry", key, region), AppLabel("review", "", "batch_duplicate"),
                           sibling=first, taken={first.body})
                return True
        return False

    def chamber(self, level: str, verdict: str, kind: str) -> bool:
        present = [s[1] for s in self.active if s[0] == "chamber" and s[2] == self.city.name]
        for o in self.rng.shuffle(origins_for(self.city)):
            if o.level != level or self.present(("chamber", o, self.city.name, "assoc")):
                continue
            if kind == "near_origin" and not any(origins_similar(o, p) for p in present):
                continue
            self._emit(Entity("chamber", o, self.city.name), AppLabel(verdict, "", kind))
            return True
        return False

    def audience_clear(self) -> bool:
        for region in self.rng.shuffle(self.regions):
            if not self.present(("audience", "企业家", region, "assoc")):
                continue
            for key in ("女企业家", "新生代企业家", "青年企业家"):
                if not self.present(("audience", key, region, "assoc")):
                    self._emit(Entity("audience", key, region), AppLabel("clear", "", "audience"))
                    return True
        return False

    def academic_clear(self) -> bool:
        for s in self.rng.shuffle(list(self.active)):
            if s[0] == "industry" and s[2] == self.city.name and s[1] in ACADEMIC and \
                    not self.present(("academic", s[1], s[2], "academic")):
                self._emit(Entity("academic", s[1], s[2], "academic"), AppLabel("clear", "", "near_form"))
                return True
        return False

    def build(self, n_apps: int) -> list[tuple[Entity, AppLabel]]:
        rng = self.rng
        n_dup = round(n_apps * .35)
        n_reject = max(2, round(n_apps * .1))
        n_review = round(n_apps * .2)
        n_clear = n_apps - n_dup - n_reject - n_review - 2
        dup_slots = [s for s in self.active if s[0] != "academic"]
        industry_slots = [s for s in dup_slots if s[0] == "industry" and s[3] == "assoc" and self.active[s][0].plain]
        others = [s for s in dup_slots if s[0] != "industry"]
        picks = rng.sample(industry_slots, n_dup - n_dup // 3) + rng.sample(others, n_dup // 3)
        for s in picks:
            self.duplicate(s)
        for _ in range(n_reject):
            self.chamber("county", "reject", "county_chamber_at_city")
        self.batch_pair()
        for k in range(n_review):
            (self.shared_review if k % 3 == 2 else self.related_review)()
        plan = ["new_industry", "near_level", "near_region", "near_origin", "audience", "near_level", "new_industry",
                "near_region", "near_form", "near_origin", "new_industry", "near_level", "new_industry", "near_region"]
        for kind in plan[:n_clear]:
            if kind == "near_origin":
                self.chamber(rng.pick(["province", "prefecture"]), "clear", "near_origin")
            elif kind == "audience":
                self.audience_clear()
            elif kind == "near_form":
                self.academic_clear()
            else:
                self.clear_industry(kind)
        return self.apps


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
ASSOC_COLUMNS = ["id", "name", "region", "type", "industry", "scope", "purpose", "services", "founded", "status",
                 "staff_fulltime", "has_office", "funding", "last_election", "term_years", "inspection", "party_members"]
APP_COLUMNS = ["id", "name", "region", "type", "industry", "scope", "purpose", "services"]
MEMBER_COLUMNS = ["association_id", "member_name", "member_id", "member_kind", "member_region", "role", "person", "annual_sales"]


def assoc_row(ent: Entity) -> dict:
    row = {"id": ent.eid, "name": ent.name, "region": ent.region_col, "type": ent.type, "industry": ent.industry,
           "scope": ent.scope, "purpose": ent.purpose, "services": ent.services, "status": ent.status}
    row.update(ent.admin)
    return row


def stats_rows(reg: Registry, rng: Rand) -> list[dict]:
    rows = []
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for (key, county), pool in sorted(reg.pools.pools.items()):
        units = len(pool) * rng.int(2, 6)
        sales = round(sum(m.sales or 0 for m in pool) * rng.uniform(1.5, 3.0), 1)
        rows.append({"industry": key, "region": county, "units": units, "sales": sales})
        totals[key][0] += units
        totals[key][1] += sales
    for key, (units, sales) in sorted(totals.items()):
        rows.append({"industry": key, "region": reg.city.name, "units": int(units), "sales": round(sales, 1)})
    return rows


def truth_rows(entities: list[Entity]) -> pd.DataFrame:
    """What the generator meant: kind, industry/origin key, true region, nature (for error analysis only)."""
    def key(e: Entity) -> str:
        if e.kind == "chamber":
            o: Origin = e.key
            return f"{o.province}{o.place}({o.level})"
        return str(e.key)
    def origin(e: Entity) -> dict:
        o = e.key if e.kind == "chamber" else Origin("", "", "")
        return {"origin_province": o.province, "origin_place": o.place, "origin_level": o.level}
    return pd.DataFrame([{"id": e.eid, "name": e.name, "kind": e.kind, "key": key(e), "region": e.region,
                          "nature": e.nature, "status": e.status, "group": e.group, "n_members": len(e.members),
                          **origin(e)} for e in entities])


def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8")


def generate(out_dir: str | Path, seed: int = 7, n: int = 300, city: str = "泉州市", n_apps: int = 40,
             silent: int = 0) -> Path:
    """Write registry/, applications/ and labels/ under out_dir; returns out_dir. ``silent``: rounds of
    bodies whose names are silent or mislead (see :func:`plant_silent`)."""
    out = Path(out_dir)
    rng = Rand(seed)
    gb = gb_names()
    reg = build_registry(CITIES[city], n, rng, gb, silent)
    write_csv(pd.DataFrame([assoc_row(e) for e in reg.entities], columns=ASSOC_COLUMNS), out / "registry" / "associations.csv")
    members = [r for e in reg.entities for r in membership_rows(e, reg.city, rng)]
    write_csv(pd.DataFrame(members, columns=MEMBER_COLUMNS), out / "registry" / "memberships.csv")
    write_csv(pd.DataFrame(stats_rows(reg, rng)), out / "registry" / "industry_stats.csv")
    write_csv(pd.DataFrame([(e.eid, e.group) for e in reg.entities], columns=["id", "group"]), out / "labels" / "groups.csv")
    write_csv(pair_labels(reg, rng, n_random=n), out / "labels" / "pairs.csv")
    apps = AppMaker(reg, rng, gb).build(n_apps)
    write_csv(pd.DataFrame([{k: assoc_row(e).get(k, "") for k in APP_COLUMNS} for e, _ in apps], columns=APP_COLUMNS),
              out / "applications" / "associations.csv")
    app_members = [r for e, _ in apps for r in membership_rows(e, reg.city, rng)]
    write_csv(pd.DataFrame(app_members, columns=MEMBER_COLUMNS), out / "applications" / "memberships.csv")
    write_csv(pd.DataFrame([(e.eid, lab.verdict, lab.expected, lab.kind) for e, lab in apps],
                           columns=["id", "verdict", "expected_match", "kind"]), out / "labels" / "applications.csv")
    write_csv(truth_rows(reg.entities), out / "labels" / "truth_registry.csv")
    write_csv(truth_rows([e for e, _ in apps]), out / "labels" / "truth_applications.csv")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=300, help="registry size (associations)")
    ap.add_argument("--city", default="泉州市", choices=sorted(CITIES))
    ap.add_argument("--apps", type=int, default=40, help="number of applications")
    ap.add_argument("--silent", type=int, default=0, help="rounds of silent / misleading names and trade-named clubs")
    a = ap.parse_args(argv)
    out = generate(a.out_dir, a.seed, a.n, a.city, a.apps, a.silent)
    assoc = pd.read_csv(out / "registry" / "associations.csv", dtype=str)
    pairs = pd.read_csv(out / "labels" / "pairs.csv", dtype=str)
    apps = pd.read_csv(out / "labels" / "applications.csv", dtype=str)
    print(f"{out}: {len(assoc)} associations, {(pairs['label'] == '1').sum()} duplicate pairs, "
          f"{(pairs['label'] == '0').sum()} labelled non-duplicates, {len(apps)} applications "
          f"({', '.join(f'{k} {v}' for k, v in apps['verdict'].value_counts().items())})")


if __name__ == "__main__":
    main()
