;; The blocked EM pass (d ≠ 2, full and tied covariance) of ./wasm-pass.ts in WebAssembly
;; SIMD (f64x2): the source of the bytes in ./em-kernel.ts (`npm run wasm` re-embeds them).
;; Both functions work on one block of at most 32 rows and compute, element by element,
;; the same sums in the same order as the scalar mahalanobisBlock / addComponentBlock /
;; rankUpdateUpper of its specification, test/support/em-pass-blocked-scalar.ts (wasm has no
;; fused multiply-add), so the results are identical bit for bit.
;; Memory layout set up by ./wasm-pass.ts; all addresses are in bytes; dp is d rounded up to
;; even, and rows stored with dp columns have a zero in the padding column.
(module
  (import "env" "memory" (memory 1 65536))

  ;; W[p·K + k] = logC[k] − ½‖Lₖ(x_p − c) − offₖ‖² for every component k and the rows
  ;; p < nb rounded up to 8 (rows past nb hold stale values; their results are not read).
  ;;   X: the block's rows (row stride xs); c: the centre (d); Dt: scratch, d rows of 32;
  ;;   chol: lower-triangular factors, row-major d×d, cs apart (0 when tied);
  ;;   off: K×d; logC: K; W: 32×K.
  ;; Eight points (four vectors, two per vector) by two rows of L per step.
  (func (export "estep")
    (param $K i32) (param $d i32) (param $nb i32) (param $X i32) (param $xs i32) (param $c i32)
    (param $Dt i32) (param $chol i32) (param $cs i32) (param $off i32) (param $logC i32) (param $W i32)
    (local $p i32) (local $t i32) (local $j i32) (local $k i32) (local $n8 i32) (local $rowL i32)
    (local $ck i32) (local $ok i32) (local $ra i32) (local $rb i32) (local $xp i32) (local $wp i32) (local $rowK i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $la v128) (local $lb v128) (local $lc v128) (local $half v128)
    (local.set $n8 (i32.and (i32.add (local.get $nb) (i32.const 7)) (i32.const -8)))
    (local.set $rowL (i32.shl (local.get $d) (i32.const 3)))
    (local.set $rowK (i32.shl (local.get $K) (i32.const 3)))
    ;; Dt[t][p] = X[p][t] − c[t]
    (local.set $p (i32.const 0))
    (block $cdone
      (loop $crows
        (br_if $cdone (i32.ge_u (local.get $p) (local.get $n8)))
        (local.set $t (i32.const 0))
        (block $tdone
          (loop $tcols
            (br_if $tdone (i32.ge_u (local.get $t) (local.get $d)))
            (f64.store
              (i32.add (local.get $Dt) (i32.shl (i32.add (i32.shl (local.get $t) (i32.const 5)) (local.get $p)) (i32.const 3)))
              (f64.sub
                (f64.load (i32.add (i32.add (local.get $X) (i32.mul (local.get $p) (local.get $xs))) (i32.shl (local.get $t) (i32.const 3))))
                (f64.load (i32.add (local.get $c) (i32.shl (local.get $t) (i32.const 3))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tcols)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $crows)))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $comps
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $ck (i32.add (local.get $chol) (i32.mul (local.get $k) (local.get $cs))))
        (local.set $ok (i32.add (local.get $off) (i32.mul (local.get $k) (local.get $rowL))))
        (local.set $lc (f64x2.splat (f64.load (i32.add (local.get $logC) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $p (i32.const 0))
        (block $pdone
          (loop $points
            (br_if $pdone (i32.ge_u (local.get $p) (local.get $n8)))
            (local.set $m0 (v128.const i64x2 0 0))
            (local.set $m1 (v128.const i64x2 0 0))
            (local.set $m2 (v128.const i64x2 0 0))
            (local.set $m3 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $pairs
                (br_if $jdone (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $d)))
                (local.set $ra (i32.add (local.get $ck) (i32.mul (local.get $j) (local.get $rowL))))
                (local.set $rb (i32.add (local.get $ra) (local.get $rowL)))
                (local.set $a0 (f64x2.neg (v128.load64_splat (i32.add (local.get $ok) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $b0 (f64x2.neg (v128.load64_splat offset=8 (i32.add (local.get $ok) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
                (local.set $b1 (local.get $b0)) (local.set $b2 (local.get $b0)) (local.set $b3 (local.get $b0))
                (local.set $t (i32.const 0))
                (local.set $xp (i32.add (local.get $Dt) (i32.shl (local.get $p) (i32.const 3))))
                (loop $inner
                  (local.set $la (v128.load64_splat (i32.add (local.get $ra) (i32.shl (local.get $t) (i32.const 3)))))
                  (local.set $lb (v128.load64_splat (i32.add (local.get $rb) (i32.shl (local.get $t) (i32.const 3)))))
                  (local.set $x0 (v128.load (local.get $xp)))
                  (local.set $x1 (v128.load offset=16 (local.get $xp)))
                  (local.set $x2 (v128.load offset=32 (local.get $xp)))
                  (local.set $x3 (v128.load offset=48 (local.get $xp)))
                  (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $la) (local.get $x0))))
                  (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $la) (local.get $x1))))
                  (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $la) (local.get $x2))))
                  (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $la) (local.get $x3))))
                  (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $lb) (local.get $x0))))
                  (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $lb) (local.get $x1))))
                  (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $lb) (local.get $x2))))
                  (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $lb) (local.get $x3))))
                  (local.set $xp (i32.add (local.get $xp) (i32.const 256)))
                  (local.set $t (i32.add (local.get $t) (i32.const 1)))
                  (br_if $inner (i32.le_u (local.get $t) (local.get $j))))
                ;; t = j + 1: only row j + 1 has it.
                (local.set $lb (v128.load64_splat (i32.add (local.get $rb) (i32.shl (local.get $t) (i32.const 3)))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $lb) (v128.load (local.get $xp)))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $lb) (v128.load offset=16 (local.get $xp)))))
                (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $lb) (v128.load offset=32 (local.get $xp)))))
                (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $lb) (v128.load offset=48 (local.get $xp)))))
                (local.set $m0 (f64x2.add (local.get $m0) (f64x2.add (f64x2.mul (local.get $a0) (local.get $a0)) (f64x2.mul (local.get $b0) (local.get $b0)))))
                (local.set $m1 (f64x2.add (local.get $m1) (f64x2.add (f64x2.mul (local.get $a1) (local.get $a1)) (f64x2.mul (local.get $b1) (local.get $b1)))))
                (local.set $m2 (f64x2.add (local.get $m2) (f64x2.add (f64x2.mul (local.get $a2) (local.get $a2)) (f64x2.mul (local.get $b2) (local.get $b2)))))
                (local.set $m3 (f64x2.add (local.get $m3) (f64x2.add (f64x2.mul (local.get $a3) (local.get $a3)) (f64x2.mul (local.get $b3) (local.get $b3)))))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))
                (br $pairs)))
            ;; An odd d leaves one last row.
            (if (i32.lt_u (local.get $j) (local.get $d))
              (then
                (local.set $ra (i32.add (local.get $ck) (i32.mul (local.get $j) (local.get $rowL))))
                (local.set $a0 (f64x2.neg (v128.load64_splat (i32.add (local.get $ok) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
                (local.set $t (i32.const 0))
                (local.set $xp (i32.add (local.get $Dt) (i32.shl (local.get $p) (i32.const 3))))
                (loop $last
                  (local.set $la (v128.load64_splat (i32.add (local.get $ra) (i32.shl (local.get $t) (i32.const 3)))))
                  (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $la) (v128.load (local.get $xp)))))
                  (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $la) (v128.load offset=16 (local.get $xp)))))
                  (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $la) (v128.load offset=32 (local.get $xp)))))
                  (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $la) (v128.load offset=48 (local.get $xp)))))
                  (local.set $xp (i32.add (local.get $xp) (i32.const 256)))
                  (local.set $t (i32.add (local.get $t) (i32.const 1)))
                  (br_if $last (i32.le_u (local.get $t) (local.get $j))))
                (local.set $m0 (f64x2.add (local.get $m0) (f64x2.mul (local.get $a0) (local.get $a0))))
                (local.set $m1 (f64x2.add (local.get $m1) (f64x2.mul (local.get $a1) (local.get $a1))))
                (local.set $m2 (f64x2.add (local.get $m2) (f64x2.mul (local.get $a2) (local.get $a2))))
                (local.set $m3 (f64x2.add (local.get $m3) (f64x2.mul (local.get $a3) (local.get $a3))))))
            ;; W[(p + i)·K + k] for the eight points.
            (local.set $m0 (f64x2.sub (local.get $lc) (f64x2.mul (local.get $half) (local.get $m0))))
            (local.set $m1 (f64x2.sub (local.get $lc) (f64x2.mul (local.get $half) (local.get $m1))))
            (local.set $m2 (f64x2.sub (local.get $lc) (f64x2.mul (local.get $half) (local.get $m2))))
            (local.set $m3 (f64x2.sub (local.get $lc) (f64x2.mul (local.get $half) (local.get $m3))))
            (local.set $wp (i32.add (local.get $W) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $K)) (local.get $k)) (i32.const 3))))
            (f64.store (local.get $wp) (f64x2.extract_lane 0 (local.get $m0)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 1 (local.get $m0)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 0 (local.get $m1)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 1 (local.get $m1)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 0 (local.get $m2)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 1 (local.get $m2)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 0 (local.get $m3)))
            (local.set $wp (i32.add (local.get $wp) (local.get $rowK)))
            (f64.store (local.get $wp) (f64x2.extract_lane 1 (local.get $m3)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $points)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $comps))))

  ;; For every component k: gather the block's rows p < nb it holds (r = W[p·K + k] ≠ 0)
  ;; into G (x − μₖ) and RG (r (x − μₖ)), rows of dp, then nk[k] += Σ r, s[k] += Σ RG and
  ;; S[k] (dp×dp, upper triangle, plus unused cells below it) += RGᵀ G, in tiles of two
  ;; rows by eight (then two) columns, each summed over the points and added to S once.
  ;;   X: the block's rows, dp apart; means: K rows of dp; s: K rows of dp; nk: K.
  (func (export "mstep")
    (param $K i32) (param $d i32) (param $dp i32) (param $nb i32) (param $X i32) (param $W i32)
    (param $means i32) (param $G i32) (param $RG i32) (param $S i32) (param $s i32) (param $nk i32)
    (local $k i32) (local $p i32) (local $m i32) (local $q i32) (local $t i32) (local $j i32)
    (local $row i32) (local $mk i32) (local $xp i32) (local $gp i32) (local $Sk i32) (local $su i32)
    (local $qa i32) (local $qx i32) (local $qend i32)
    (local $r f64) (local $rk f64)
    (local $rs v128) (local $g v128) (local $cj v128)
    (local $a0 v128) (local $a1 v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $row (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $comps
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $mk (i32.add (local.get $means) (i32.mul (local.get $k) (local.get $row))))
        (local.set $m (i32.const 0))
        (local.set $rk (f64.const 0))
        (local.set $p (i32.const 0))
        (block $gdone
          (loop $gather
            (br_if $gdone (i32.ge_u (local.get $p) (local.get $nb)))
            (local.set $r (f64.load (i32.add (local.get $W) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $K)) (local.get $k)) (i32.const 3)))))
            ;; Skipped, or underflowed: adds (almost) exactly nothing.
            (if (f64.ne (local.get $r) (f64.const 0))
              (then
                (local.set $rk (f64.add (local.get $rk) (local.get $r)))
                (local.set $rs (f64x2.splat (local.get $r)))
                (local.set $xp (i32.add (local.get $X) (i32.mul (local.get $p) (local.get $row))))
                (local.set $gp (i32.mul (local.get $m) (local.get $row)))
                (local.set $t (i32.const 0))
                (loop $cols
                  (local.set $g (f64x2.sub
                    (v128.load (i32.add (local.get $xp) (local.get $t)))
                    (v128.load (i32.add (local.get $mk) (local.get $t)))))
                  (v128.store (i32.add (i32.add (local.get $G) (local.get $gp)) (local.get $t)) (local.get $g))
                  (v128.store (i32.add (i32.add (local.get $RG) (local.get $gp)) (local.get $t)) (f64x2.mul (local.get $rs) (local.get $g)))
                  (local.set $t (i32.add (local.get $t) (i32.const 16)))
                  (br_if $cols (i32.lt_u (local.get $t) (local.get $row))))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $gather)))
        (if (i32.gt_u (local.get $m) (i32.const 0))
          (then
            (local.set $qa (i32.add (local.get $nk) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $qa) (f64.add (f64.load (local.get $qa)) (local.get $rk)))
            (local.set $Sk (i32.add (local.get $S) (i32.mul (i32.mul (local.get $k) (local.get $dp)) (local.get $row))))
            (local.set $qend (i32.mul (local.get $m) (local.get $row)))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $pairs
                (br_if $jdone (i32.ge_u (local.get $j) (local.get $d)))
                ;; s[k][j, j+1] += Σ_q RG[q][j, j+1]
                (local.set $cj (v128.const i64x2 0 0))
                (local.set $q (i32.shl (local.get $j) (i32.const 3)))
                (local.set $qx (i32.add (local.get $qend) (local.get $q)))
                (loop $sum
                  (local.set $cj (f64x2.add (local.get $cj) (v128.load (i32.add (local.get $RG) (local.get $q)))))
                  (local.set $q (i32.add (local.get $q) (local.get $row)))
                  (br_if $sum (i32.lt_u (local.get $q) (local.get $qx))))
                (local.set $qa (i32.add (i32.add (local.get $s) (i32.mul (local.get $k) (local.get $row))) (i32.shl (local.get $j) (i32.const 3))))
                (v128.store (local.get $qa) (f64x2.add (v128.load (local.get $qa)) (local.get $cj)))
                (local.set $su (i32.add (local.get $Sk) (i32.mul (local.get $j) (local.get $row))))
                (local.set $t (i32.shl (local.get $j) (i32.const 3)))
                ;; Tiles of rows j, j + 1 by eight columns.
                (block $wdone
                  (loop $wide
                    (br_if $wdone (i32.gt_u (i32.add (local.get $t) (i32.const 64)) (local.get $row)))
                    (local.set $u0 (v128.const i64x2 0 0)) (local.set $u1 (v128.const i64x2 0 0))
                    (local.set $u2 (v128.const i64x2 0 0)) (local.set $u3 (v128.const i64x2 0 0))
                    (local.set $v0 (v128.const i64x2 0 0)) (local.set $v1 (v128.const i64x2 0 0))
                    (local.set $v2 (v128.const i64x2 0 0)) (local.set $v3 (v128.const i64x2 0 0))
                    (local.set $qa (i32.add (local.get $RG) (i32.shl (local.get $j) (i32.const 3))))
                    (local.set $qx (i32.add (local.get $G) (local.get $t)))
                    (local.set $q (i32.const 0))
                    (loop $tile
                      (local.set $a0 (v128.load64_splat (local.get $qa)))
                      (local.set $a1 (v128.load64_splat offset=8 (local.get $qa)))
                      (local.set $x0 (v128.load (local.get $qx)))
                      (local.set $x1 (v128.load offset=16 (local.get $qx)))
                      (local.set $x2 (v128.load offset=32 (local.get $qx)))
                      (local.set $x3 (v128.load offset=48 (local.get $qx)))
                      (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $a0) (local.get $x0))))
                      (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $a0) (local.get $x1))))
                      (local.set $u2 (f64x2.add (local.get $u2) (f64x2.mul (local.get $a0) (local.get $x2))))
                      (local.set $u3 (f64x2.add (local.get $u3) (f64x2.mul (local.get $a0) (local.get $x3))))
                      (local.set $v0 (f64x2.add (local.get $v0) (f64x2.mul (local.get $a1) (local.get $x0))))
                      (local.set $v1 (f64x2.add (local.get $v1) (f64x2.mul (local.get $a1) (local.get $x1))))
                      (local.set $v2 (f64x2.add (local.get $v2) (f64x2.mul (local.get $a1) (local.get $x2))))
                      (local.set $v3 (f64x2.add (local.get $v3) (f64x2.mul (local.get $a1) (local.get $x3))))
                      (local.set $qa (i32.add (local.get $qa) (local.get $row)))
                      (local.set $qx (i32.add (local.get $qx) (local.get $row)))
                      (local.set $q (i32.add (local.get $q) (i32.const 1)))
                      (br_if $tile (i32.lt_u (local.get $q) (local.get $m))))
                    (local.set $qa (i32.add (local.get $su) (local.get $t)))
                    (v128.store (local.get $qa) (f64x2.add (v128.load (local.get $qa)) (local.get $u0)))
                    (v128.store offset=16 (local.get $qa) (f64x2.add (v128.load offset=16 (local.get $qa)) (local.get $u1)))
                    (v128.store offset=32 (local.get $qa) (f64x2.add (v128.load offset=32 (local.get $qa)) (local.get $u2)))
                    (v128.store offset=48 (local.get $qa) (f64x2.add (v128.load offset=48 (local.get $qa)) (local.get $u3)))
                    (local.set $qa (i32.add (local.get $qa) (local.get $row)))
                    (v128.store (local.get $qa) (f64x2.add (v128.load (local.get $qa)) (local.get $v0)))
                    (v128.store offset=16 (local.get $qa) (f64x2.add (v128.load offset=16 (local.get $qa)) (local.get $v1)))
                    (v128.store offset=32 (local.get $qa) (f64x2.add (v128.load offset=32 (local.get $qa)) (local.get $v2)))
                    (v128.store offset=48 (local.get $qa) (f64x2.add (v128.load offset=48 (local.get $qa)) (local.get $v3)))
                    (local.set $t (i32.add (local.get $t) (i32.const 64)))
                    (br $wide)))
                ;; The rest, two columns at a time.
                (block $ndone
                  (loop $narrow
                    (br_if $ndone (i32.ge_u (local.get $t) (local.get $row)))
                    (local.set $u0 (v128.const i64x2 0 0))
                    (local.set $v0 (v128.const i64x2 0 0))
                    (local.set $qa (i32.add (local.get $RG) (i32.shl (local.get $j) (i32.const 3))))
                    (local.set $qx (i32.add (local.get $G) (local.get $t)))
                    (local.set $q (i32.const 0))
                    (loop $tile2
                      (local.set $x0 (v128.load (local.get $qx)))
                      (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (v128.load64_splat (local.get $qa)) (local.get $x0))))
                      (local.set $v0 (f64x2.add (local.get $v0) (f64x2.mul (v128.load64_splat offset=8 (local.get $qa)) (local.get $x0))))
                      (local.set $qa (i32.add (local.get $qa) (local.get $row)))
                      (local.set $qx (i32.add (local.get $qx) (local.get $row)))
                      (local.set $q (i32.add (local.get $q) (i32.const 1)))
                      (br_if $tile2 (i32.lt_u (local.get $q) (local.get $m))))
                    (local.set $qa (i32.add (local.get $su) (local.get $t)))
                    (v128.store (local.get $qa) (f64x2.add (v128.load (local.get $qa)) (local.get $u0)))
                    (local.set $qa (i32.add (local.get $qa) (local.get $row)))
                    (v128.store (local.get $qa) (f64x2.add (v128.load (local.get $qa)) (local.get $v0)))
                    (local.set $t (i32.add (local.get $t) (i32.const 16)))
                    (br $narrow)))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))
                (br $pairs)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $comps))))
)
